"""Reading wire copy: the plain-text rules, HTML, RSS, Atom, ninjs, and malformed files."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from apps.tagging.wire import WireFormatError, clean_paragraphs, read_bytes, read_file

WIRE = Path(__file__).resolve().parent.parent / "data" / "wire"


def test_plain_text_item_with_its_parts_and_no_boilerplate():
    (item,) = read_file(WIRE / "sahel_story.txt")
    assert item.headline == "Niger and Mali agree to pool border patrols"
    assert item.standfirst.startswith("The two juntas say joint units")
    assert item.byline == "Awa Keita"
    assert (item.dateline, item.source) == ("Niamey", "Sahel Wire")
    assert item.date.date().isoformat() == "2025-05-12"
    assert item.paragraphs[0].startswith("Niger and Mali will run joint patrols")
    text = " ".join(item.paragraphs)
    for junk in (
        "Share on",
        "Follow us",
        "Subscribe",
        "Source link",
        "Photo:",
        "About the author",
        "covers security",
        "Home |",
    ):
        assert junk not in text


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Follow us on Instagram",
        "Donate now",
        "Subscribe to our newsletter",
        "Source link",
        "Image: a market in Bamako",
        "Photo credit: the ministry",
        "© Sahel Wire 2025",
        "Home » Africa » Sahel",
        "https://example.org/story",
    ],
)
def test_boilerplate_lines_are_dropped(line):
    assert clean_paragraphs([line, "The real sentence stays."]) == ["The real sentence stays."]


def test_ordinary_sentences_that_start_like_boilerplate_stay():
    kept = ["Share prices fell.", "Follow-up talks are planned.", "Credits to farmers rose."]
    assert clean_paragraphs(kept) == kept


def test_several_text_items_in_one_file():
    first, second = read_file(WIRE / "two_items.txt")
    assert first.headline.startswith("Burkina Faso opens") and first.dateline == "Ouagadougou"
    assert second.dateline == "N'Djamena" and "Donate" not in " ".join(first.paragraphs)
    assert first.key != second.key


def test_html_page_through_trafilatura():
    (item,) = read_file(WIRE / "page.html")
    assert item.headline == "Mali reopens schools in the north"
    assert item.standfirst == "Classes resume in three towns after a year of closures."
    assert item.byline == "Idrissa Maiga" and item.dateline == "Bamako"
    assert item.date.date().isoformat() == "2025-03-02"
    text = " ".join(item.paragraphs)
    assert text.startswith("Schools in three towns") and "Subscribe" not in text and "Share this" not in text


def test_rss_items_keep_their_guid():
    first, second = read_file(WIRE / "feed.rss")
    assert (
        first.source_id == "https://wire.example/items/1001"
        and first.key == "id:https://wire.example/items/1001"
    )
    assert (first.dateline, first.source) == ("Niamey", "Sahel Wire")
    assert second.paragraphs == ["Burkina Faso and Mali signed an accord on road freight on Wednesday."]


def test_atom_entry():
    (item,) = read_file(WIRE / "feed.atom")
    assert (
        item.byline == "Fatime Abakar" and item.standfirst == "Delegations from four states met for two days."
    )
    assert item.paragraphs[-1] == "Niger sent its defence minister."


def test_ninjs_2_item():
    (item,) = read_file(WIRE / "item.ninjs.json")
    assert item.source_id == "urn:newsml:wire.example:2025:ninjs-77"
    assert item.headline == "AES ministers hold talks with Lavrov in Moscow"
    assert item.dateline == "Moscow" and len(item.paragraphs) == 2


@pytest.mark.parametrize(
    ("name", "fmt", "reason"),
    [
        ("bad.rss", "auto", "not a well-formed feed"),
        ("bad.html", "html", "not an HTML page"),
        ("bad.ninjs.json", "auto", "has no 'uri'"),
        ("bad.txt", "auto", "no body"),
        ("feed.rss", "atom", "expected ATOM"),
        ("sahel_story.txt", "ninjs", "not JSON"),
    ],
)
def test_malformed_files_say_why(name, fmt, reason):
    with pytest.raises(WireFormatError, match=reason):
        read_file(WIRE / name, fmt)


def test_binary_and_missing_files(tmp_path):
    blob = tmp_path / "blob.txt"
    blob.write_bytes(b"\xff\xfe\x00\x01garbage")
    with pytest.raises(WireFormatError, match="not UTF-8"):
        read_file(blob)
    with pytest.raises(WireFormatError):
        read_file(tmp_path / "missing.txt")


def test_copy_without_a_headline_line_and_one_paragraph_per_line():
    (item,) = read_file(WIRE / "one_paragraph_per_line.txt")
    assert len(item.paragraphs) == 3 and item.paragraphs[0].startswith("Burkina Faso and Niger have agreed")
    # The first sentence, shortened at a word, stands in for the missing headline.
    assert item.headline.startswith("Burkina Faso and Niger have agreed") and item.headline.endswith("\u2026")
    assert len(item.headline) <= 121
    assert all("Follow us" not in p for p in item.paragraphs)


@pytest.mark.parametrize("date", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00-05:00"])
def test_a_date_outside_the_utc_range_is_no_date(date):
    text = f"Chad reopens a border post\n\nPublished: {date}\n\nChad reopened a border post on Friday.\n"
    (item,) = read_bytes(text.encode(), name="story.txt")
    assert item.date is None
    ninjs = {"uri": "urn:x:1", "type": "text", "firstcreated": date, "headlines": [{"value": "Chad"}]}
    ninjs["bodies"] = [{"role": "main", "contenttype": "text/plain", "value": "Chad reopened a post."}]
    (item,) = read_bytes(json.dumps(ninjs).encode(), name="item.ninjs.json")
    assert item.date is None


def test_an_in_range_offset_date_is_kept_in_utc():
    text = "Chad reopens a border post\n\nPublished: 2025-04-03T15:00:00+05:00\n\nChad reopened a post.\n"
    (item,) = read_bytes(text.encode(), name="story.txt")
    assert item.date == dt.datetime(2025, 4, 3, 10, 0, tzinfo=dt.UTC)
