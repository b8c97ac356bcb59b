"""Status callbacks to an item's `hook` URL.

inferred: the docs say only "URL address of the script where the message delivery status will be
sent" (docs page "Multi channel"); the payload format is undocumented. The simulator POSTs the same
object a status request answers with (`{"id","type","status"[,"replies"]}`, PHP-encoded JSON) at every
status change and every reply, and only when the item gave a http(s) hook.
"""

from __future__ import annotations

from simulator.core.lifecycle import Event
from simulator.core.messages import MessageView
from simulator.core.webhooks import Delivery, RetryPolicy
from simulator.providers.jsonphp.responses import CONTENT_TYPE, encode
from simulator.providers.jsonphp.sending import JsonPhpFields, report

RETRY = RetryPolicy(backoff=(60.0, 300.0, 900.0))  # inferred: a few retries over about 20 minutes


def build(view: MessageView, event: Event) -> list[Delivery]:
    fields = JsonPhpFields.of(view.message)
    if fields.hook is None or not fields.hook.startswith(("http://", "https://")):
        return []
    if event.leg == "fallback" and not fields.sms_fallback:
        return []  # the client asked for no SMS leg, so a scenario's fallback is not reported
    body = encode(report(view, fields.client_id))
    return [Delivery(fields.hook, body, {"Content-Type": CONTENT_TYPE})]
