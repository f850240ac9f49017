"""The one masking rule (backend/audit/privacy.py): which keys are personal, how each is masked,
and that the SQL mask writes what the Python one does."""

import pytest
from django.db import connection

from backend.audit.privacy import Personal, mask, mask_sql, masked, masked_fields, personal_kind


@pytest.mark.parametrize(
    ("key", "kind"),
    [
        ("m_idno", Personal.ID_NUMBER),
        ("members/m_idno", Personal.ID_NUMBER),
        ("head_id_number", Personal.ID_NUMBER),
        ("id_card_no", Personal.ID_NUMBER),
        ("IDCARD", Personal.ID_NUMBER),
        ("household/head_phone", Personal.PHONE),
        ("tel", Personal.PHONE),
        ("mobile2", Personal.PHONE),
        ("has_serious_illness", Personal.HEALTH),
        ("m_health", Personal.HEALTH),
        ("m_disab_level", Personal.HEALTH),
        ("has_disabled", Personal.HEALTH),
        ("medical/ill_treated", Personal.HEALTH),
        ("paid_now", None),
        ("hotel", None),
        ("hh_code", None),
        ("head_name", None),
        ("village", None),
        ("bill_amount", None),
        ("idno_group/hh_size", None),  # judged by the last segment only
    ],
)
def test_personal_keys_are_known_by_their_name(key, kind):
    assert personal_kind(key) == kind


def test_numbers_keep_their_last_four_characters_and_health_is_hidden():
    assert mask(Personal.ID_NUMBER, "52010219800101123X") == "**************123X"
    assert mask(Personal.PHONE, "13912345678") == "*******5678"
    assert mask(Personal.PHONE, "123456") == "****"
    assert mask(Personal.HEALTH, "yes") == "****"
    assert mask(Personal.HEALTH, "") == ""


def test_answers_are_masked_in_groups_and_repeats():
    fields = {
        "household/head_phone": "13912345678",
        "hh_size": 4,
        "members": [{"m_idno": "52010219800101123X", "m_name": "张三", "m_health": "ill"}],
        "has_serious_illness": None,
    }

    assert masked_fields(fields) == {
        "household/head_phone": "*******5678",
        "hh_size": 4,
        "members": [{"m_idno": "**************123X", "m_name": "张三", "m_health": "****"}],
        "has_serious_illness": None,
    }
    assert masked("risks", ["illness"]) == ["illness"]


VALUES = ["", "1", "123456", "1234567", "52010219800101123X", "张三李四王五赵六", "a,b\"c'd"]


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(Personal))
def test_the_sql_mask_writes_what_python_writes(kind):
    with connection.cursor() as cursor:
        sql = mask_sql(kind, "CAST(%s AS TEXT)", vendor=connection.vendor)
        for value in VALUES:
            cursor.execute(f"SELECT {sql}", [value] * sql.count("%s"))
            assert cursor.fetchone()[0] == mask(kind, value), value
        cursor.execute(f"SELECT {mask_sql(kind, 'NULL', vendor=connection.vendor)}")
        assert cursor.fetchone()[0] is None
