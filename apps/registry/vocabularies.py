"""IPTC Media Topic codes for event types.

The issue asks for a code per event type *only where it was confirmed in IPTC's published
vocabulary* (cv.iptc.org/newscodes/mediatopic). No Media Topic code could be confirmed against
that vocabulary while this was written (the related IPTC *Subject Codes*, e.g. 16004000 for
"coup d'etat", are a different, older scheme), so the mapping is empty rather than guessed.
Add entries as ``EventType value -> "medtop:NNNNNNNN"`` once checked; ``Event.iptc_media_topic``
and the API read them from here.
"""

from __future__ import annotations

IPTC_MEDIA_TOPICS: dict[str, str] = {}
