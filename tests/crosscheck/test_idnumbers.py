"""ID numbers normalised and checked (GB 11643), and hashed with the server's key."""

import pytest

from backend.crosscheck.idnumbers import check_digit, id_key, normalised

VALID = "11010519491231002X"


def test_a_valid_number_is_kept_in_capitals():
    assert normalised(VALID.lower()) == VALID
    assert normalised(" 110105 1949 1231 002x ") == VALID


@pytest.mark.parametrize("raw", ["110105194912310021", "1101051949123100", "ABC", "", None, 3.5])
def test_anything_but_an_id_number_is_refused(raw):
    assert normalised(raw) is None


def test_an_old_fifteen_digit_number_becomes_its_eighteen_digit_form():
    old = "110105491231002"
    new = normalised(old)
    assert new is not None
    assert new[:17] == "11010519491231002"
    assert new[17] == check_digit(new[:17])


def test_the_hash_depends_on_the_key():
    assert id_key(VALID, b"one") != id_key(VALID, b"two")
    assert len(id_key(VALID, b"one")) == 64
    assert VALID not in id_key(VALID, b"one")
