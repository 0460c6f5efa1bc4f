"""Read wire copy into items: plain text (our rules), HTML pages (trafilatura), RSS/Atom
(feedparser) and IPTC ninjs (1.x and 2.x JSON). No database here; the import service writes.

Every reader raises ``WireFormatError`` with a short reason when the file is not what it claims
to be, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser
import trafilatura
from django.utils import timezone
from django.utils.html import strip_tags

FORMATS = ("auto", "text", "html", "rss", "atom", "ninjs")
MAX_BYTES = 20 * 1024 * 1024


class WireFormatError(ValueError):
    """The file cannot be read as the format it was given as (or detected as)."""


@dataclass
class WireItem:
    headline: str
    paragraphs: list[str]
    standfirst: str = ""
    dateline: str = ""  # the place named at the start of the copy ("BAMAKO")
    date: dt.datetime | None = None
    byline: str = ""
    source: str = ""  # the agency or site
    source_id: str = ""  # the item's own id (guid, ninjs uri), when it has one
    extra: dict = field(default_factory=dict)

    @property
    def key(self) -> str:
        """What makes two imports the same item: its source id, else a hash of its content."""
        if self.source_id:
            return "id:" + self.source_id[:290]
        text = "\n".join([self.headline, *self.paragraphs]).strip().casefold()
        return "sha256:" + hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


# ---------------------------------------------------------------- plain-text boilerplate rules

_BOILERPLATE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(share( this| on| via|:| the| article| story)|tweet( this)?|email this|print this)\b.{0,60}$",
        r"^follow (us|me)\b",
        r"^(donate|support our journalism|support us)\b",
        r"^(subscribe|sign up|newsletter|get our newsletter|register)\b",
        r"^(source link|source:\s*https?://\S+|read more|read also|related:|see also|click here|advertisement|ad)\b.{0,80}$",
        r"^(photo|image|picture|illustration|video)( credit)?\s*[:/]",
        r"^(credit\b|\u00a9|\(c\)|copyright\b).{0,120}$",
        r"^(getty images|afp|reuters|ap photo)\b.{0,40}$",
        r"^(home|news|africa|world|politics|sport|business)(\s*[|»>/\u203a\u00b7]\s*\w[\w ]{0,20}){1,}$",
        r"^(skip to (main )?content|menu|search|log ?in|cookie(s)?\b.*)$",
        r"^(tags?|topics?|filed under)\s*:",
        r"^https?://\S+$",
    )
]
_BIO_START = re.compile(r"^(about the author|about the writer|author bio)\b", re.IGNORECASE)
_BYLINE = re.compile(r"^by\s+(?P<name>[^\n]{2,120})$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^(published|posted|date|updated)\s*:\s*(?P<date>.+)$", re.IGNORECASE)
# "BAMAKO, April 3 (Sahel Wire) —", "NIAMEY (Agency) -", "OUAGADOUGOU, 3 April 2025 —"
_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Z'\u2019\- ]{2,40}?)(?:,\s*(?P<date>[^()\u2014\u2013-]{3,40}?))?\s*"
    r"(?:\((?P<agency>[^)]{2,60})\))?\s*[\u2014\u2013-]+\s*"
)
_SEPARATOR = re.compile(r"^\s*(={3,}|-{5,}|#{3,})\s*$")


def is_boilerplate(line: str) -> bool:
    line = line.strip()
    return not line or any(p.search(line) for p in _BOILERPLATE)


def _parse_date(value: str) -> dt.datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    for parse in (dt.datetime.fromisoformat, parsedate_to_datetime):
        try:
            parsed = parse(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if timezone.is_naive(parsed):
            return timezone.make_aware(parsed, dt.UTC)
        try:  # year 1 east of UTC or 9999 west of it has no UTC datetime: no date
            return parsed.astimezone(dt.UTC)
        except OverflowError:
            return None
    for fmt in ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y"):
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    return None


def clean_paragraphs(lines: list[str]) -> list[str]:
    """Drop share/follow/donate/subscribe lines, source links, image credits, navigation and
    the author bio that closes many web copies."""
    out = []
    for line in lines:
        if _BIO_START.match(line.strip()):
            break
        if not is_boilerplate(line):
            out.append(" ".join(line.split()))
    return out


def _apply_dateline(item: WireItem) -> None:
    if not item.paragraphs:
        return
    m = _DATELINE.match(item.paragraphs[0])
    if not m:
        return
    item.dateline = m.group("place").strip().title()
    if m.group("agency") and not item.source:
        item.source = m.group("agency").strip()
    if m.group("date") and item.date is None:
        item.date = _parse_date(m.group("date"))
    rest = item.paragraphs[0][m.end() :].strip()
    if rest:
        item.paragraphs[0] = rest
    else:
        item.paragraphs.pop(0)


HEADLINE_MAX = 200
_SENTENCE_END = (".", "!", "?", '"', "\u201d")


def _blocks(lines: list[str]) -> list[str]:
    """Paragraphs: blank lines separate them; within a block, a line that ends a sentence ends
    the paragraph (one paragraph per line), other lines are hard-wrapped and joined. Boilerplate
    lines are dropped on their own, so they never swallow the paragraph after them."""
    blocks, block = [], []
    for line in lines:
        line = line.strip()
        if not line or is_boilerplate(line):  # a boilerplate line also ends a paragraph
            if block:
                blocks.append(" ".join(block))
                block = []
            continue
        block.append(line)
        if line.endswith(_SENTENCE_END):
            blocks.append(" ".join(block))
            block = []
    if block:
        blocks.append(" ".join(block))
    return blocks


def _is_headline(block: str) -> bool:
    return len(block) <= HEADLINE_MAX and not block.endswith(".")


def _headline_from(paragraph: str, limit: int = 120) -> str:
    sentence = re.split(r"(?<=[.!?])\s", paragraph, maxsplit=1)[0].rstrip(".")
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "\u2026"


def read_text(raw: str) -> list[WireItem]:
    """Plain-text wire copy: headline first, then an optional standfirst, a byline ("By ..."),
    a date line ("Published: ..."), and paragraphs separated by blank lines. Several items may
    share a file, separated by a line of ===== (or -----, #####)."""
    chunks, current = [], []
    for line in raw.splitlines():
        if _SEPARATOR.match(line):
            chunks.append(current)
            current = []
        else:
            current.append(line)
    chunks.append(current)
    items = []
    for chunk in chunks:
        blocks = [b for b in _blocks(chunk) if not is_boilerplate(b)]
        if not blocks:
            continue
        if _is_headline(blocks[0]):
            item, body_blocks = WireItem(headline=blocks[0], paragraphs=[]), blocks[1:]
        else:
            # Copy that starts with its first paragraph: its first sentence stands in as the
            # headline (shortened), for the editor to rewrite; the paragraph stays whole.
            item, body_blocks = WireItem(headline=_headline_from(blocks[0]), paragraphs=[]), blocks
        rest = []
        for b in body_blocks:
            if not item.byline and (m := _BYLINE.match(b)):
                item.byline = m.group("name").strip()
            elif item.date is None and (m := _DATE_LINE.match(b)):
                item.date = _parse_date(m.group("date"))
            else:
                rest.append(b)
        rest = clean_paragraphs(rest)
        # A short first paragraph before the one carrying the dateline is the standfirst.
        if (
            len(rest) >= 2
            and not _DATELINE.match(rest[0])
            and _DATELINE.match(rest[1])
            and len(rest[0]) <= 400
        ):
            item.standfirst = rest.pop(0)
        item.paragraphs = rest
        _apply_dateline(item)
        items.append(item)
    if not items:
        raise WireFormatError("no wire item found (the file is empty or only boilerplate)")
    for item in items:
        if not item.paragraphs:
            raise WireFormatError(f"item {item.headline[:60]!r} has a headline but no body")
    return items


def read_html(raw: str) -> list[WireItem]:
    if "<" not in raw or not re.search(r"<(html|body|p|article|div)\b", raw, re.IGNORECASE):
        raise WireFormatError("not an HTML page (no HTML elements)")
    doc = trafilatura.bare_extraction(raw, with_metadata=True, include_comments=False, favor_precision=True)
    if doc is None or not (doc.text or "").strip():
        raise WireFormatError("no article text found in the HTML page")
    lines = [line for line in doc.text.splitlines() if line.strip()]
    title = (doc.title or "").strip()
    if lines and title and lines[0].strip() == title:
        lines = lines[1:]
    if not title:
        title, lines = (lines[0], lines[1:]) if lines else ("", [])
    item = WireItem(
        headline=title,
        paragraphs=clean_paragraphs(lines),
        standfirst=(doc.description or "").strip(),
        date=_parse_date(doc.date or ""),
        byline=(doc.author or "").strip(),
        source=(doc.sitename or "").strip(),
        source_id=(doc.url or "").strip(),
    )
    _apply_dateline(item)
    if not item.headline or not item.paragraphs:
        raise WireFormatError("the HTML page has no headline or no body text")
    return [item]


def _html_paragraphs(html: str) -> list[str]:
    parts = re.split(r"</p\s*>|<br\s*/?>|\n{2,}", html, flags=re.IGNORECASE)
    return clean_paragraphs([strip_tags(p).strip() for p in parts if strip_tags(p).strip()])


def read_feed(raw: bytes, expected: str = "") -> list[WireItem]:
    parsed = feedparser.parse(raw)
    if parsed.bozo and not isinstance(parsed.bozo_exception, feedparser.CharacterEncodingOverride):
        raise WireFormatError(f"not a well-formed feed ({parsed.bozo_exception})")
    version = parsed.version or ""
    if not version:
        raise WireFormatError("not an RSS or Atom feed")
    if expected and not version.startswith(expected):
        raise WireFormatError(f"expected {expected.upper()}, found {version}")
    source = parsed.feed.get("title", "")
    items = []
    for entry in parsed.entries:
        content = entry.get("content", [{}])[0].get("value", "") if entry.get("content") else ""
        summary = entry.get("summary", "")
        paragraphs = _html_paragraphs(content or summary)
        standfirst = strip_tags(summary).strip() if content and summary else ""
        when = entry.get("published_parsed") or entry.get("updated_parsed")
        item = WireItem(
            headline=strip_tags(entry.get("title", "")).strip(),
            paragraphs=paragraphs,
            standfirst=standfirst[:400],
            date=dt.datetime(*when[:6], tzinfo=dt.UTC) if when else None,
            byline=entry.get("author", ""),
            source=source,
            source_id=entry.get("id") or entry.get("link") or "",
        )
        _apply_dateline(item)
        if not item.headline or not item.paragraphs:
            raise WireFormatError(f"feed entry {len(items) + 1} has no title or no text")
        items.append(item)
    if not items:
        raise WireFormatError("the feed has no entries")
    return items


def _ninjs_value(obj: dict, plural: str, singular: str, role: str | None = None) -> str:
    values = obj.get(plural)
    if isinstance(values, list):
        for v in values:
            if isinstance(v, dict) and (role is None or v.get("role", role) == role):
                return str(v.get("value", ""))
    value = obj.get(singular)
    return value if isinstance(value, str) else ""


def read_ninjs(raw: str) -> list[WireItem]:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise WireFormatError(f"not JSON ({exc})") from exc
    objs = data.get("items", [data]) if isinstance(data, dict) else data
    if not isinstance(objs, list) or not objs:
        raise WireFormatError("expected a ninjs object, a list of them or {'items': [...]}")
    items = []
    for n, obj in enumerate(objs, 1):
        if not isinstance(obj, dict) or not isinstance(obj.get("uri"), str) or not obj["uri"]:
            raise WireFormatError(f"ninjs item {n} has no 'uri'")
        headline = _ninjs_value(obj, "headlines", "headline")
        body_html = _ninjs_value(obj, "bodies", "body_html") if not obj.get("body_text") else ""
        body_text = obj.get("body_text") if isinstance(obj.get("body_text"), str) else ""
        if isinstance(obj.get("bodies"), list):
            for b in obj["bodies"]:
                if isinstance(b, dict) and "text/plain" in str(b.get("contenttype", "")):
                    body_text = str(b.get("value", ""))
        paragraphs = clean_paragraphs(body_text.split("\n\n")) if body_text else _html_paragraphs(body_html)
        by = obj.get("by") or obj.get("byline") or ""
        located = obj.get("located") or ""
        item = WireItem(
            headline=headline.strip(),
            paragraphs=[p for p in paragraphs if p],
            standfirst=_ninjs_value(obj, "descriptions", "description_text", role="summary").strip()[:400],
            date=_parse_date(str(obj.get("firstcreated") or obj.get("versioncreated") or "")),
            byline=by if isinstance(by, str) else "",
            source=str(obj.get("copyrightholder") or ""),
            source_id=obj["uri"],
            extra={"usageterms": obj.get("usageterms", "")},
        )
        if isinstance(located, str) and located:
            item.dateline = located
        else:
            _apply_dateline(item)
        if not item.headline or not item.paragraphs:
            raise WireFormatError(f"ninjs item {n} ({obj['uri']}) has no headline or no body")
        items.append(item)
    return items


def detect_format(path: Path, raw: bytes) -> str:
    head = raw[:2048].lstrip().lower()
    if path.suffix.lower() == ".json" or head.startswith((b"{", b"[")):
        return "ninjs"
    if b"<rss" in head or b"<rdf:rdf" in head:
        return "rss"
    if b"<feed" in head:
        return "atom"
    if path.suffix.lower() in (".html", ".htm") or b"<html" in head or b"<!doctype html" in head:
        return "html"
    return "text"


def read_file(path: Path, fmt: str = "auto") -> list[WireItem]:
    """Items of one file; ``WireFormatError`` says what is wrong with it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WireFormatError(exc.strerror or str(exc)) from exc
    return read_bytes(raw, name=path.name, fmt=fmt)


def read_bytes(raw: bytes, *, name: str = "", fmt: str = "auto") -> list[WireItem]:
    """Items of an upload or pasted text; ``name`` (a file name) only helps detect the format."""
    if len(raw) > MAX_BYTES:
        raise WireFormatError(f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    fmt = detect_format(Path(name or "pasted"), raw) if fmt == "auto" else fmt
    if fmt in ("rss", "atom"):
        return read_feed(raw, expected=fmt)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WireFormatError(f"not UTF-8 text (byte {exc.start})") from exc
    if "\x00" in text:
        raise WireFormatError("binary data, not text")
    return {"text": read_text, "html": read_html, "ninjs": read_ninjs}[fmt](text)
