"""The pages read a fixed number of queries however many rows they show: no N+1.

Pinned exactly, so a change in either direction is seen (bench/page_render.py measures the same
pages with a million submissions)."""

from django.test import Client
from django.urls import reverse

from backend.audit.models import AccessKind, AccessLog

QUEUE_SUPERVISOR = 17
# Both pages read the project's forms for the property labels (backend/households/labels.py);
# the submission page reads the villages its answers name, the household page the form versions
# whose questions caption its photos. Both read the rectification items of the flags they show,
# to link them (backend/web/flag_cards.py). The household page reads the open forms a household
# is filled with at a desk (docs/forms.md#web-forms). The project's risk weights, which the
# submission page's score reads, are kept from the processing of its visits (backend/flags/risk.py).
SUBMISSION_PAGE = 21
HOUSEHOLD_PAGE = 19
# The first page of a test also reads the labels and sentences of the project's own rules, which
# are cached from then on (backend/monitoring/words.py; each test starts with an empty cache).
RULE_WORDS = 1
# Flags whose evidence names another submission or household: whether the reader may see them,
# for all of them at once (backend/flags/selectors.py::flags_seen_by).
FLAGS_NAMING_OTHERS = 5
ACCESS_LOG = 5


def test_township_supervisor_queue(
    client: Client, east_supervisor, flagged, inspect, homes, django_assert_num_queries
):
    client.force_login(east_supervisor)
    url = reverse("review:queue", args=["demo"])
    with django_assert_num_queries(QUEUE_SUPERVISOR + RULE_WORDS):
        client.get(url)
    for _ in range(3):
        inspect(homes["east"])
    with django_assert_num_queries(QUEUE_SUPERVISOR):
        response = client.get(url)
    assert len(response.context["page"].object_list) == 4


def test_submission_page(client: Client, sam, flagged, django_assert_num_queries):
    client.force_login(sam)
    pages = ((flagged["calm"], RULE_WORDS), (flagged["risky"], 0))  # no flags of its own, then two
    for submission, cold in pages:
        url = reverse("review:submission", args=["demo", submission.pk])
        with django_assert_num_queries(SUBMISSION_PAGE + cold):
            assert client.get(url).status_code == 200


def test_household_page_with_more_visits(
    client: Client, sam, flagged, inspect, homes, django_assert_num_queries
):
    client.force_login(sam)
    url = reverse("households:page", args=["demo", homes["east"].uuid])
    with django_assert_num_queries(HOUSEHOLD_PAGE + RULE_WORDS):
        first = client.get(url)
    for _ in range(3):
        inspect(homes["east"])  # the same photo each time: photo_duplicate flags name the others
    with django_assert_num_queries(HOUSEHOLD_PAGE + FLAGS_NAMING_OTHERS):
        response = client.get(url)
    assert len(response.context["timeline"]) == len(first.context["timeline"]) + 3
    assert len(response.context["stages"][0][1]) == 4  # a "before" photo from each inspection


def test_access_log_page(client: Client, project, alice, django_assert_num_queries):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    url = reverse("admin:audit_accesslog_changelist")

    def log(count: int) -> None:
        AccessLog.objects.bulk_create(
            AccessLog(
                user=alice,
                project=project,
                kind=AccessKind.VIEW_SUBMISSION,
                object_type="submission",
                object_id=str(i),
            )
            for i in range(count)
        )

    log(3)
    with django_assert_num_queries(ACCESS_LOG):
        client.get(url)
    log(60)
    with django_assert_num_queries(ACCESS_LOG):
        assert client.get(url).status_code == 200
