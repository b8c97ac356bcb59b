"""Every string Routee shows its clients, verbatim, with where it comes from."""

from __future__ import annotations

# OAuth token endpoint. doc: https://docs.routee.net/docs/get-authenticated ("grant_type ... must always have
# the value: client_credentials"); inferred: error bodies are Spring Security OAuth2 defaults (undocumented).
GRANT_TYPE = "client_credentials"
TOKEN_TYPE = "Bearer"  # doc: reference/authentication
EXPIRES_IN = 3600  # doc: "set by default to expire in 1 hour (3600 seconds)"
MISSING_GRANT = ("invalid_request", "Missing grant type")
UNSUPPORTED_GRANT = ("unsupported_grant_type", "Unsupported grant type: {grant}")
INVALID_SCOPE = ("invalid_scope", "Invalid scope: {scope}")

# Bad client credentials: Spring Boot's error page, not an OAuth2 body. sdk: github ufairiya/routeesdk
# examples/authenticateTest.php records the real answer {"timestamp":1472894732599,"status":401,
# "error":"Unauthorized","message":"Bad credentials","path":"/oauth/token"}; sdk: github
# randinterval/Routee-Java-SDK RouteeAuthentication.getToken() builds its message from error + " " + message.
UNAUTHORIZED = "Unauthorized"
BAD_CREDENTIALS = "Bad credentials"
BASIC_CHALLENGE = 'Basic realm="oauth2/client"'  # inferred: Spring Security OAuth2's client realm

# Bearer auth on API calls. doc: docs/status-codes "401 (NOT_AUTHENTICATED)"; inferred: Spring OAuth2 bodies.
FULL_AUTHENTICATION = ("unauthorized", "Full authentication is required to access this resource")
INVALID_TOKEN = ("invalid_token", "Invalid access token: {token}")
EXPIRED_TOKEN = ("invalid_token", "Access token expired: {token}")
ACCESS_DENIED = ("access_denied", "Access is denied")  # doc: viber API reference says 403

# {"code","developerMessage"} errors. doc: docs/error-codes, docs/generic-errors
VALIDATION = ("400000000", "Validation Error!")  # doc: docs/generic-errors
INSUFFICIENT_BALANCE = ("400001009", "Insufficient Balance.")  # doc: 2-step pages
VIBER_TRACKING_NOT_FOUND = ("404019006", "viberTracking was not found.")  # doc: seed 003_a5d0de4b067cd165.txt
SMS_TRACKING_NOT_FOUND = ("404005000", "Tracking not found.")  # doc: reference/smstrackingsingle
BAD_LAYOUT = ("400019007", "Invalid viber message type combination")  # text: third-party report; code inferred
BAD_FILE = ("400019019", "Provided viber file is not valid")  # text: third-party report; code inferred
SENDER_NOT_FOUND = ("404020001", "Sender info not found.")  # inferred: module 020 = viber sender info
CAMPAIGN_NOT_FOUND = ("404009000", "Campaign not found.")  # inferred: module 009 = campaign
INTERNAL = ("500000000", "Internal Server Error")  # inferred; the docs print a 10-digit typo "5000000000"
UNAVAILABLE = ("503000000", "Service Unavailable")  # inferred
THROTTLED = ("429000000", "Too Many Requests")  # inferred: nothing documented

# Bean Validation messages (Hibernate Validator's defaults where there is one): `properties` values
MAY_NOT_BE_EMPTY = "may not be empty"  # doc: generic-errors example (Hibernate @NotEmpty)
MAY_NOT_BE_NULL = "may not be null"  # inferred: Hibernate's @NotNull default
SIZE = "size must be between {low} and {high}"  # doc: generic-errors example (Hibernate @Size)
BETWEEN = "must be between {low} and {high}"  # inferred: Hibernate's @Range default
NOT_E164 = "must be a valid phone number in E.164 format"  # inferred: a custom constraint, in Hibernate's style
NOT_HTTPS = "must be a valid https URL"  # inferred: as NOT_E164
# inferred: a JSON value of the wrong type (Jackson's mismatch), worded as the constraints above are
NOT_A_BOOLEAN = "must be a boolean"
NOT_A_NUMBER = "must be a number"
NOT_A_STRING = "must be a string"
NOT_A_LIST = "must be a list"
ONE_OF = "must be one of {types}"  # inferred: a value outside the allowed ones
TOO_FAR_AHEAD = "must be a date before 9000-01-01T00:00:00Z"  # inferred: the simulated clock ends there
INVALID_SENDER_ID = "must be a valid sender id"  # inferred: an SMS sender a scenario refuses

# Response constants. doc: failover-callbacks, viber-callback
ORIGINATING_SERVICE = "Viber"
SMS_SERVICE = "Sms"  # doc: retrieve-failover-trackings "type ... Supported values: Sms or Viber"
UNKNOWN_OPERATOR = "Unknown"  # inferred: what an SMS shows when libphonenumber knows no operator for its number
DIRECTION = "Outbound"  # inferred: the SMS docs use Inbound/Outbound
DEFAULT_APPLICATION = "default"
CAMPAIGN_TYPE = "Viber"  # inferred: SMS campaign shape
CAMPAIGN_QUEUED = "Queued"
CAMPAIGN_SCHEDULED = "Scheduled"

# GET /accounts/me/balance currency. sdk: ufairiya/routeesdk Accounts.php ("currency.name | The currency name
# in english", "currency.sign | The sign of the currency"); the names are inferred
CURRENCIES = {"EUR": ("Euro", "€"), "USD": ("US Dollar", "$"), "GBP": ("British Pound", "£")}

# Routing errors (Spring Boot defaults). inferred
NOT_FOUND = "Not Found"
METHOD_NOT_ALLOWED = "Method Not Allowed"
