"""The waitlist: patients waiting for a time at a location, offered freed times one at a time.

``models`` (entries and offers, registered with the ``scheduling`` app), ``services`` (join,
leave, offer a freed time, claim, decline, expire), ``selectors``, ``tasks``, the patient pages
(``views``) and the API (``api``). Other code tells it of a freed time through
``scheduling.waitlist.services.waitlist_slot_freed``.
"""
