"""Every string a json.php client can see, verbatim, with where it comes from.

The docs show few error texts; the inferred ones are kept here so they can be corrected in one
place when the real texts are found.
"""

from __future__ import annotations

# doc: seeds 000_6316faf56c75eaf3.txt and 001_e9e7e162960ef5d3.txt, "Access denied" tab (HTTP 200)
ACCESS_DENIED = "Access denied"
# doc: docs page "Multi channel", tab "Error in Alpha-name"; sdk: wearesho-team/alphasms-message-delivery tests
ALPHA_NAME = "Error in Alpha-name"

# inferred: the docs say a request without `Content-Type: application/json` "will be considered
# invalid"; the same answer for a body that is not a JSON object with a `data` list, or an item that
# is not an object or lacks a field its type needs
INVALID_REQUEST = "Invalid request"
# inferred: spec §3.12, an unknown `type` in `data[]`
UNKNOWN_TYPE = "Unknown request type"
# inferred: spec §3.11, a status request for an id the account never sent
NOT_FOUND = "Message not found"
# inferred: spec §5
INVALID_PHONE = "Invalid phone number"
# inferred: spec §5
EMPTY_MESSAGE = "Empty message"
# inferred: spec §5
INSUFFICIENT_FUNDS = "Insufficient funds"
# inferred: scenario error kinds with no documented text (invalid_text, invalid_image, throttled)
INVALID_TEXT = "Invalid message text"
INVALID_IMAGE = "Invalid image"
TOO_MANY_REQUESTS = "Too many requests"

# inferred: nginx in front of the PHP script; its stock pages for a missing path and a dead backend
NOT_FOUND_PAGE = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
UNAVAILABLE_PAGE = (
    b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    b"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
HTML = "text/html"  # inferred: nginx default_type for its own error pages

# doc: seed 000 shows "2022-05-01T12:01:02+03:00": reply dates are Kyiv local time with its offset
TIME_ZONE = "Europe/Kyiv"
