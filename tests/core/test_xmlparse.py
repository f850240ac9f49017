"""Untrusted XML: most documents take the C parser, anything that could declare a DTD takes
defusedxml, and both refuse the same things."""

import pytest

from backend.core.xmlparse import MAX_DEPTH, UntrustedXmlError, parse_untrusted

DTD = '<?xml version="1.0" encoding="{enc}"?><!DOCTYPE d [<!ENTITY x "boom">]><d>&x;</d>'


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_dtd_in_a_wide_encoding_is_refused(encoding):
    xml = DTD.format(enc="utf-32" if encoding == "utf-32" else "utf-16")
    with pytest.raises(UntrustedXmlError):
        parse_untrusted(xml.encode(encoding))


def test_a_dtd_after_a_comment_is_refused():
    with pytest.raises(UntrustedXmlError, match="DTD"):
        parse_untrusted(b'<!-- hi --><!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>')


def test_comments_and_cdata_are_read():
    root = parse_untrusted(b"<d><!-- note --><a><![CDATA[1 < 2]]></a></d>")
    assert root.find("a").text == "1 < 2"


def test_an_undeclared_entity_is_malformed():
    with pytest.raises(UntrustedXmlError, match="malformed"):
        parse_untrusted(b"<d>&x;</d>")


def test_the_depth_limit_is_exact():
    def nested(levels: int) -> bytes:
        return b"<a>" * levels + b"</a>" * levels

    assert parse_untrusted(nested(MAX_DEPTH)).tag == "a"
    with pytest.raises(UntrustedXmlError, match="nested"):
        parse_untrusted(nested(MAX_DEPTH + 1))
