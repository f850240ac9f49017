"""Every endpoint × every persona, aimed at township A: the status each persona gets, that a
refusal changes nothing and shows nothing of township A, and that the people who may see
township A's records do see them.

The rules it encodes:
- field workers see their own submissions and the households they help or that lie in their
  villages; supervisors and admins what lies in their areas (all of the project without areas);
- an admin manages members, phones, areas and households only inside the admin's own area, and
  nobody hands a phone to someone of a wider area or a higher role;
- an area is edited or moved only by someone whose area holds its old and its new parent, and an
  import never clears what it does not replace;
- forms, settings and risk weights reach every area: only an admin whose scope covers the whole
  project changes them (an admin of one township reads them);
- a registration awaiting approval belongs to the village it registers in: that village's
  supervisors see and decide it;
- a submission updates only households in its sender's scope (an out-of-scope update is stored,
  not merged, and flagged `entity_out_of_scope`), and edits only what its sender could edit
  (otherwise 403 and nothing changed);
- refusals: 404 for "missing or not yours", 403 where the caller may see the project but their
  role may not do this, the sign-in page (pages) or 401 (API, OpenRosa) for anonymous callers,
  403 for an unknown phone token. Import pages refuse a row out of scope like any bad row (400,
  nothing imported), so they do not tell which codes exist. A 404 or 403 means nothing happened.

A new endpoint fails `test_every_endpoint_has_a_row` until it gets a row in MATRIX below: copy
the row of a similar endpoint, point its calls at township A's record and write each persona's
cell. Cells that fail until the access rules are fixed are listed in KNOWN_FAILURES.
"""

from dataclasses import replace

import pytest

from backend.entities.models import Entity
from backend.flags.models import Flag
from backend.households.models import Household
from tests.security.calls import (
    API,
    HOUSEHOLD,
    MEMBER,
    REGISTRATION,
    SLUG,
    SUBMISSION,
    TREE_FORM,
    TREES,
    VISIT_FORM,
    access_log,
    api_delete,
    api_post,
    area_import,
    department_file,
    department_import,
    department_records,
    edit_of_a,
    entity_update,
    get,
    phone,
    post,
    registry,
    settings_data,
    tree_secrets,
    tree_update,
    upload,
    weights_data,
)
from tests.security.matrix import (
    ADMIN_LOGIN,
    ADMIN_PREFIX,
    BLIND,
    LOGIN,
    SEES,
    Call,
    Expect,
    Probe,
    Row,
    blind,
    but,
    changed_tables,
    does,
    endpoint_keys,
    everyone,
    expect,
    leaked,
    reads,
    refused,
    send,
    snapshot,
)
from tests.security.world import PERSONAS, VISIT, World
from tests.sync.conftest import body

PEOPLE = "p/<slug:slug>/admin/people/<int:user_id>/"
DEVICES = PEOPLE + "devices"
REVOKE = DEVICES + "/<int:token_id>/revoke"
AREA_IMPORT = "p/<slug:slug>/admin/areas/import"
HOUSEHOLD_IMPORT = "p/<slug:slug>/admin/households/import"
DECIDE_PAGE = "p/<slug:slug>/submissions/<int:submission_id>/decide"
BULK_DECIDE = "p/<slug:slug>/review/decide"
REVIEW_API = ("POST", "/api/v1/projects/{slug}/submissions/{submission_id}/review")
DEVICES_API = ("GET", "/api/v1/projects/{slug}/devices")
REVOKE_API = ("POST", "/api/v1/projects/{slug}/devices/{device_id}/revoke")
CASE_PAGE = SLUG + "/cases/{w.case.pk}/"
VILLAGE_PAGE = SLUG + "/cases/villages/{w.village_a.code}/"


# The cells that fail until the access rules are fixed: (endpoint, probe, persona) -> the rule
# they break. A fix turns its cells into XPASS, which fails the run: delete their lines here.
KNOWN_FAILURES: dict[tuple[str | tuple[str, str], str, str], str] = {}

# --- profiles: the usual rows of cells -----------------------------------------------------

# A township-A record on a supervisors' page.
A_PAGE = expect(WA=403, WB=403, SA=SEES, SB=404, AB=404, CA=SEES, OA=404, NR=404, DS=403, AN=LOGIN)
A_PAGE_WRITE = but(A_PAGE, SA=does(302), CA=does(302))
# A supervisors' list: each sees their own area's records.
LIST_PAGE = but(A_PAGE, SB=BLIND, AB=BLIND)
# A project admin's page about the whole project (forms, settings): not about any area. Its
# changes reach every area: an admin of one township reads it but changes nothing.
ADMIN_PAGE = expect(
    WA=403, WB=403, SA=403, SB=403, AB=BLIND, CA=BLIND, OA=404, NR=404, DS=403, AN=LOGIN
)
ADMIN_WRITE = but(ADMIN_PAGE, AB=403, CA=does(302))
# The same for the JSON API, whose anonymous callers get 401.
A_API = expect(WA=403, WB=403, SA=SEES, SB=404, AB=404, CA=SEES, OA=404, NR=404, DS=403, AN=401)
A_API_WRITE = but(A_API, SA=does(200), CA=does(200))
LIST_API = but(A_API, SB=BLIND, AB=BLIND)
# Worker A's own record through the API (field workers see what they sent).
OWN_API = but(A_API, WA=SEES, WB=404)
ADMIN_API = expect(
    WA=403, WB=403, SA=403, SB=403, AB=BLIND, CA=BLIND, OA=404, NR=404, DS=403, AN=401
)
PROJECT_API = expect(
    WA=BLIND, WB=BLIND, SA=BLIND, SB=BLIND, AB=BLIND, CA=BLIND, OA=404, NR=404, DS=403, AN=401
)
# Not about any area: every signed-in persona alike.
EVERYONE = expect(
    WA=BLIND,
    WB=BLIND,
    SA=BLIND,
    SB=BLIND,
    AB=BLIND,
    CA=BLIND,
    OA=BLIND,
    NR=BLIND,
    DS=BLIND,
    AN=BLIND,
)
SIGNED_IN = but(EVERYONE, AN=LOGIN)
SIGNED_IN_API = but(EVERYONE, AN=401)


def area_secrets(world: World) -> list[str]:
    """For area lists: village A1 itself (the geography is not secret, but it is scoped)."""
    return [world.village_a.code, world.village_a.name]


# --- OpenRosa ----------------------------------------------------------------------------


def out_of_scope_flagged(w: World) -> None:
    """The household's own supervisors are told, on the household."""
    assert Flag.objects.filter(
        household=w.household, code="entity_out_of_scope", state="open"
    ).exists()


STORED_NOT_MERGED = Expect(
    "stored", 201, keeps=("households", "household versions"), then=out_of_scope_flagged
)


def merged(w: World) -> None:
    """The update reached the household: the matrix's allowed senders really change it."""
    assert Household.objects.get(pk=w.household.pk).version == w.household.version + 1


def tree_unchanged(w: World) -> None:
    """Refused and told: the tree keeps its version, the sender's reviewers see why."""
    assert Entity.objects.get(pk=w.tree.pk).version == w.tree.version
    assert Flag.objects.filter(code="entity_refused", state="open").exists()


def tree_updated(w: World) -> None:
    assert Entity.objects.get(pk=w.tree.pk).version == w.tree.version + 1


TREE_NOT_UPDATED = Expect("stored", 201, keeps=("entities", "entity versions"), then=tree_unchanged)


def phone_rows(route: str, *, keyed: bool) -> dict[str, Row]:
    """The OpenRosa endpoints, reached with a password (Basic over HTTPS) or a phone's token."""
    # An unknown token is refused; a request without credentials is challenged.
    member = expect(
        WA=BLIND,
        WB=BLIND,
        SA=BLIND,
        SB=BLIND,
        AB=BLIND,
        CA=BLIND,
        OA=404,
        NR=404,
        # Department staff collect nothing: their password is refused, their token opens nothing.
        DS=404 if keyed else 403,
        AN=403 if keyed else 401,
    )
    # The phones' list of households, and its integrity check, are scoped like the pages.
    scoped = but(member, WA=SEES, SA=SEES, CA=SEES)
    members_204 = but(member, **dict.fromkeys(("WA", "WB", "SA", "SB", "AB", "CA"), blind(204)))
    update_merges = does(201, then=merged)
    return {
        f"{route}formList": Row([Probe("GET", phone("GET", "formList", keyed=keyed), member)]),
        f"{route}submission": Row(
            [
                Probe("HEAD", phone("HEAD", "submission", keyed=keyed), members_204),
                Probe(
                    "POST entity update of A's household",
                    phone("POST", "submission", entity_update, keyed=keyed),
                    but(
                        member,
                        WA=update_merges,
                        WB=STORED_NOT_MERGED,
                        SA=update_merges,
                        SB=STORED_NOT_MERGED,
                        AB=STORED_NOT_MERGED,
                        CA=update_merges,
                    ),
                ),
                Probe(
                    "POST entity update of A's tree",
                    phone("POST", "submission", tree_update, keyed=keyed),
                    but(
                        member,
                        WA=does(201, then=tree_updated),
                        WB=TREE_NOT_UPDATED,
                        SA=does(201, then=tree_updated),
                        SB=TREE_NOT_UPDATED,
                        AB=TREE_NOT_UPDATED,
                        CA=does(201, then=tree_updated),
                    ),
                    secrets=tree_secrets,
                ),
                Probe(
                    "POST edit of A's submission",
                    phone("POST", "submission", edit_of_a, keyed=keyed),
                    but(member, WA=does(201), WB=403, SA=does(201), SB=403, AB=403, CA=does(201)),
                ),
            ]
        ),
        f"{route}forms/<str:form_id>/<str:md5>/form.xml": Row(
            [Probe("GET", phone("GET", VISIT_FORM + "/form.xml", keyed=keyed), member)]
        ),
        f"{route}forms/<str:form_id>/<str:md5>/manifest": Row(
            [Probe("GET", phone("GET", VISIT_FORM + "/manifest", keyed=keyed), member)]
        ),
        f"{route}forms/<str:form_id>/<str:md5>/media/<str:name>": Row(
            [
                Probe(
                    "GET households.csv",
                    phone("GET", VISIT_FORM + "/media/households.csv", keyed=keyed),
                    scoped,
                ),
                # Another entity list is scoped alike (backend/entities/access.py).
                Probe(
                    "GET trees.csv",
                    phone("GET", TREE_FORM + "/media/trees.csv", keyed=keyed),
                    scoped,
                    secrets=tree_secrets,
                ),
            ]
        ),
        f"{route}lists/<str:name>/integrity": Row(
            [
                Probe(
                    "GET A's household",
                    phone(
                        "GET",
                        "lists/households/integrity?id={w.household.uuid}",
                        keyed=keyed,
                    ),
                    scoped,
                ),
                Probe(
                    "GET A's tree",
                    phone("GET", "lists/trees/integrity?id={w.tree.uuid}", keyed=keyed),
                    scoped,
                    secrets=lambda w: [f'id="{w.tree.uuid}"'],
                ),
            ]
        ),
    }


# --- the matrix ----------------------------------------------------------------------------

DECIDE = {"decision": "approved", "comment": "checked"}
# The pending registration is worker B's, for a village of township A: it belongs to that
# village, whose supervisors decide; B's side neither sees nor decides it.
APPROVE_REGISTRATION = A_PAGE_WRITE

MATRIX: dict[str | tuple[str, str], Row] = {
    # Signing in and out, the start page, the language and the server's health: no area.
    "": Row([Probe("GET", get("/"), SIGNED_IN)], unscoped="each user's own list of projects"),
    "login/": Row(
        [Probe("GET", get("/login/"), but(everyone(does(302)), AN=BLIND))],
        unscoped="signing in; a signed-in user is sent on",
    ),
    "password/": Row(
        [Probe("GET", get("/password/"), SIGNED_IN)], unscoped="each user's own password"
    ),
    "logout/": Row([Probe("POST", post("/logout/"), everyone(does(200)))], unscoped="signing out"),
    "i18n/setlang/": Row(
        [Probe("POST", post("/i18n/setlang/", {"language": "en"}), everyone(does(302)))],
        unscoped="the interface language",
    ),
    "health": Row([Probe("GET", get("/health"), EVERYONE)], unscoped="the load balancer's probe"),
    "api/v1/": Row([Probe("GET", get("/api/v1/"), everyone(reads(404)))], unscoped="no page"),
    "api/v1/<path:rest>": Row(
        [Probe("GET", get("/api/v1/projects/demo/nowhere"), everyone(reads(404)))],
        unscoped="any path the API does not know: its JSON 404",
    ),
    "api/v1/openapi.json": Row(
        [Probe("GET", get("/api/v1/openapi.json"), EVERYONE)], unscoped="the API's schema"
    ),
    "api/v1/docs": Row([Probe("GET", get("/api/v1/docs"), EVERYONE)], unscoped="the API's docs"),
    # The Django admin, as a group: superusers only, so every persona is sent to its sign-in.
    ADMIN_PREFIX: Row(
        [
            Probe("GET index", get("/admin/"), everyone(ADMIN_LOGIN)),
            Probe(
                "GET A's household",
                get("/admin/households/household/{w.household.pk}/change/"),
                everyone(ADMIN_LOGIN),
            ),
            Probe(
                "POST a phone for worker A",
                post(
                    "/admin/accounts/devicetoken/add/",
                    lambda w: {
                        "user": w.users["worker_a"].pk,
                        "project": w.project.pk,
                        "label": "x",
                    },
                ),
                everyone(ADMIN_LOGIN),
            ),
            Probe(
                "POST move A1",
                post(
                    "/admin/areas/area/{w.village_a.pk}/change/",
                    lambda w: {
                        "code": "sec-a1",
                        "name": "东坡村",
                        "level": "village",
                        "parent": w.township_b.pk,
                    },
                ),
                everyone(ADMIN_LOGIN),
            ),
            Probe(
                "POST delete A's household",
                post("/admin/households/household/{w.household.pk}/delete/", {"post": "yes"}),
                everyone(ADMIN_LOGIN),
            ),
        ],
    ),
    # The supervisors' pages.
    "p/<slug:slug>/review/": Row([Probe("GET", get(SLUG + "/review/"), LIST_PAGE)]),
    BULK_DECIDE: Row(
        [
            # A bulk decision reports a refused submission as a message and goes back.
            Probe(
                "POST approve A's submission",
                post(SLUG + "/review/decide", lambda w: {"ids": [w.submission.pk], **DECIDE}),
                but(A_PAGE_WRITE, SB=302, AB=302),
            ),
            Probe(
                "POST approve registration",
                post(SLUG + "/review/decide", lambda w: {"ids": [w.registration.pk], **DECIDE}),
                but(APPROVE_REGISTRATION, SB=302, AB=302),
            ),
        ]
    ),
    "p/<slug:slug>/submissions/<int:submission_id>/": Row(
        [
            Probe("GET", get(SUBMISSION), A_PAGE),
            Probe("POST reveal", post(SUBMISSION, {"reveal": "1"}), A_PAGE),
        ]
    ),
    DECIDE_PAGE: Row(
        [
            Probe("POST", post(SUBMISSION + "decide", DECIDE), A_PAGE_WRITE),
            Probe(
                "POST approve registration",
                post(REGISTRATION + "decide", DECIDE),
                APPROVE_REGISTRATION,
            ),
        ]
    ),
    "p/<slug:slug>/submissions/<int:submission_id>/comment": Row(
        [Probe("POST", post(SUBMISSION + "comment", {"text": "why?"}), A_PAGE_WRITE)]
    ),
    "p/<slug:slug>/dashboard/": Row(
        [Probe("GET", get(SLUG + "/dashboard/"), but(LIST_PAGE, SA=reads(), CA=reads()))]
    ),
    # Look-back campaigns: the county plans and starts them; each level reads its own
    # households' progress and signs for its own area.
    "p/<slug:slug>/campaigns/": Row(
        [
            Probe("GET", get(SLUG + "/campaigns/"), but(LIST_PAGE, SA=BLIND, CA=BLIND)),
            Probe(
                "POST plan",
                post(
                    SLUG + "/campaigns/",
                    {"name": "x", "visits_from": "2027-01-01", "visits_until": "2027-01-31"},
                ),
                but(LIST_PAGE, SA=403, SB=403, AB=403, CA=does(302)),
            ),
        ],
        unscoped="a campaign's name and dates reach every area; its households are on its page",
    ),
    "p/<slug:slug>/campaigns/<int:campaign_id>/": Row(
        [Probe("GET", get(SLUG + "/campaigns/{w.campaign.pk}/"), LIST_PAGE, secrets=area_secrets)]
    ),
    "p/<slug:slug>/campaigns/<int:campaign_id>/start": Row(
        [
            Probe(
                "POST",
                post(SLUG + "/campaigns/{w.campaign.pk}/start"),
                but(LIST_PAGE, SA=403, SB=403, AB=403, CA=refused(409)),
            )
        ],
        unscoped="only the county starts a campaign (this one has started: 409)",
    ),
    "p/<slug:slug>/campaigns/<int:campaign_id>/sign": Row(
        [
            Probe(
                "POST township A",
                post(
                    SLUG + "/campaigns/{w.campaign.pk}/sign",
                    lambda w: {"area": w.township_a.pk, "signer_name": "办事处"},
                ),
                # Township A signs for itself, refused while village A has not signed.
                but(A_PAGE, SA=refused(409), CA=404),
            )
        ]
    ),
    "p/<slug:slug>/statistics/": Row(
        [
            Probe(
                "GET",
                get(SLUG + "/statistics/?table=incidence&year=2026"),
                LIST_PAGE,
                secrets=area_secrets,
            )
        ]
    ),
    "p/<slug:slug>/lists/": Row(
        [Probe("GET", get(SLUG + "/lists/"), but(LIST_PAGE, SA=BLIND, CA=BLIND))],
        unscoped="the lists' names, properties and forms: the same for every area",
    ),
    "p/<slug:slug>/lists/<str:name>/": Row(
        [Probe("GET", get(SLUG + "/lists/trees/"), LIST_PAGE, secrets=tree_secrets)]
    ),
    "p/<slug:slug>/households/<str:household_id>/": Row(
        [
            Probe("GET", get(HOUSEHOLD), A_PAGE),
            Probe("POST reveal", post(HOUSEHOLD, {"reveal": "1"}), A_PAGE),
        ]
    ),
    # The household's file: masked, every look logged (tests/review/test_household_dossier.py).
    "p/<slug:slug>/households/<str:household_id>/file/": Row(
        [Probe("GET", get(HOUSEHOLD + "file/"), A_PAGE)]
    ),
    "p/<slug:slug>/households/<str:household_id>/file.pdf": Row(
        [Probe("GET", get(HOUSEHOLD + "file.pdf"), but(A_PAGE, SA=reads(), CA=reads()))]
    ),
    # A paper visit entered at a desk (docs/forms.md#web-forms): the household's supervisors
    # open the form for it and send it into the phones' intake, which merges it.
    "p/<slug:slug>/households/<str:household_id>/fill/<str:form_id>/": Row(
        [Probe("GET", get(HOUSEHOLD + "fill/visit/"), A_PAGE)]
    ),
    "p/<slug:slug>/households/<str:household_id>/fill/<str:form_id>/submission": Row(
        [
            Probe(
                "POST entity update of A's household",
                post(HOUSEHOLD + "fill/visit/submission", entity_update),
                but(A_PAGE, SA=does(201, then=merged), CA=does(201, then=merged)),
            )
        ]
    ),
    "p/<slug:slug>/households/<str:household_id>/resolve": Row(
        [Probe("POST", post(HOUSEHOLD + "resolve", {"note": "checked"}), A_PAGE_WRITE)]
    ),
    "p/<slug:slug>/households/<str:household_id>/flags/<int:flag_id>/clear": Row(
        [
            Probe(
                "POST",
                post(HOUSEHOLD + "flags/{w.flag.pk}/clear", {"note": "checked"}),
                A_PAGE_WRITE,
            )
        ]
    ),
    # The case pages: township A decides its villages' cases at its level; the county reads them
    # and handles their objections; field workers have no case pages.
    "p/<slug:slug>/cases/": Row([Probe("GET", get(SLUG + "/cases/"), but(LIST_PAGE, CA=BLIND))]),
    "p/<slug:slug>/cases/<int:case_id>/": Row([Probe("GET", get(CASE_PAGE), A_PAGE)]),
    "p/<slug:slug>/cases/<int:case_id>/renovation/": Row(
        [Probe("GET", get(SLUG + "/cases/{w.renovation.pk}/renovation/"), A_PAGE)]
    ),
    "p/<slug:slug>/cases/<int:case_id>/decide": Row(
        [
            Probe(
                "POST return",
                post(CASE_PAGE + "decide", {"decision": "return", "comment": "why?"}),
                but(A_PAGE_WRITE, CA=403),
            )
        ]
    ),
    "p/<slug:slug>/cases/<int:case_id>/record": Row(
        [
            Probe(
                "POST",
                post(CASE_PAGE + "record", {"record_opinion": "同意"}),
                but(A_PAGE_WRITE, CA=403),
            )
        ]
    ),
    "p/<slug:slug>/cases/<int:case_id>/deadline": Row(
        [
            Probe(
                "POST extend the housing item",
                post(
                    SLUG + "/cases/{w.rectification.pk}/deadline",
                    {"deadline": "2027-06-30", "reason": "雨季无法施工"},
                ),
                A_PAGE_WRITE,
            )
        ]
    ),
    "p/<slug:slug>/cases/<int:case_id>/documents": Row(
        [
            Probe(
                "POST",
                post(
                    CASE_PAGE + "documents",
                    lambda w: {"role": "other", "file": upload("scan.jpg", b"scan", "image/jpeg")},
                ),
                but(A_PAGE_WRITE, CA=403),
            )
        ]
    ),
    "p/<slug:slug>/cases/<int:case_id>/documents/<int:document_id>": Row(
        [
            Probe(
                "GET",
                get(CASE_PAGE + "documents/{w.case_document.pk}"),
                but(A_PAGE, SA=reads(), CA=reads()),
            )
        ]
    ),
    "p/<slug:slug>/cases/<int:case_id>/objections": Row(
        [
            Probe(
                "POST",
                post(CASE_PAGE + "objections", {"received_on": "2026-12-02", "text": "异议"}),
                A_PAGE_WRITE,
            )
        ]
    ),
    "p/<slug:slug>/cases/<int:case_id>/objections/<int:objection_id>/resolve": Row(
        [
            Probe(
                "POST",
                post(
                    CASE_PAGE + "objections/{w.case_objection.pk}/resolve",
                    {"outcome": "dismissed", "note": "已核实"},
                ),
                A_PAGE_WRITE,
            )
        ]
    ),
    # A village's notice pages: the case of A1 waits at the township, so it is on no notice and
    # a bulk approval naming it approves nothing (the page reports it and goes back).
    "p/<slug:slug>/cases/villages/<str:village>/": Row(
        [Probe("GET", get(VILLAGE_PAGE), but(A_PAGE, SA=BLIND, CA=BLIND))]
    ),
    "p/<slug:slug>/cases/villages/<str:village>/approve": Row(
        [
            Probe(
                "POST approve A's case",
                post(VILLAGE_PAGE + "approve", lambda w: {"cases": [w.case.pk]}),
                but(A_PAGE, SA=302, CA=302),
            )
        ]
    ),
    "p/<slug:slug>/cases/villages/<str:village>/notice/": Row(
        [Probe("GET", get(VILLAGE_PAGE + "notice/"), but(A_PAGE, SA=BLIND, CA=BLIND))]
    ),
    "p/<slug:slug>/cases/villages/<str:village>/notice.pdf": Row(
        [Probe("GET", get(VILLAGE_PAGE + "notice.pdf"), but(A_PAGE, SA=BLIND, CA=BLIND))]
    ),
    # The admins' pages: people and phones (by area), imports (by area), forms and settings.
    "p/<slug:slug>/admin/people/": Row([Probe("GET", get(SLUG + "/admin/people/"), ADMIN_PAGE)]),
    PEOPLE: Row(
        [
            Probe("GET worker A", get(MEMBER), but(ADMIN_PAGE, AB=404, CA=SEES)),
            Probe(
                "GET supervisor A",
                get(SLUG + "/admin/people/{w.users[supervisor_a].pk}/"),
                but(ADMIN_PAGE, AB=404, CA=reads()),
            ),
        ]
    ),
    # Members: added, created, changed and removed only inside the admin's own area (township
    # A's village is not among township B's admin's choices: a form error, nothing written).
    "p/<slug:slug>/admin/people/add": Row(
        [
            Probe(
                "POST no_role as a worker of A1",
                post(
                    SLUG + "/admin/people/add",
                    lambda w: {
                        "add-username": "sec-no_role",
                        "add-role": "collector",
                        "add-areas": [w.village_a.pk],
                    },
                ),
                but(ADMIN_PAGE, AB=400, CA=does(302)),
            )
        ]
    ),
    "p/<slug:slug>/admin/people/new": Row(
        [
            Probe(
                "POST a new worker of A1",
                post(
                    SLUG + "/admin/people/new",
                    lambda w: {
                        "new-username": "sec-newcomer",
                        "new-password": "first-pass-2026",
                        "new-role": "collector",
                        "new-areas": [w.village_a.pk],
                    },
                ),
                but(ADMIN_PAGE, AB=400, CA=does(302)),
            )
        ]
    ),
    PEOPLE + "change": Row(
        [
            Probe(
                "POST worker A as supervisor of A1",
                post(
                    MEMBER + "change",
                    lambda w: {"role": "supervisor", "areas": [w.village_a.pk]},
                ),
                but(ADMIN_PAGE, AB=404, CA=does(302)),
            )
        ]
    ),
    PEOPLE + "remove": Row(
        [Probe("POST worker A", post(MEMBER + "remove"), but(ADMIN_PAGE, AB=404, CA=does(302)))]
    ),
    DEVICES: Row(
        [
            Probe(
                f"POST for {name}",
                post(SLUG + f"/admin/people/{{w.users[{user}].pk}}/devices", {"label": "new"}),
                but(ADMIN_PAGE, AB=404, CA=does(200) if user != "root" else 404),
            )
            for name, user in (
                ("worker A", "worker_a"),
                ("supervisor A", "supervisor_a"),
                ("a superuser", "root"),
            )
        ]
    ),
    REVOKE: Row(
        [
            Probe(
                f"POST {user.replace('_a', ' A')}'s phone",
                post(
                    SLUG + f"/admin/people/{{w.users[{user}].pk}}/devices/"
                    f"{{w.device_tokens[{user}][0].pk}}/revoke"
                ),
                but(ADMIN_PAGE, AB=404, CA=does(302)),
            )
            for user in ("worker_a", "supervisor_a")
        ]
    ),
    AREA_IMPORT: Row(
        [
            Probe("GET", get(SLUG + "/admin/areas/import"), ADMIN_PAGE),
            # Needs a scope holding the old and the new parent: only the county's admin.
            Probe(
                "POST move A1 to township B",
                area_import(parent="sec-tb"),
                but(ADMIN_WRITE, AB=400, OA=400),
            ),
            Probe("POST rename A1", area_import(name="改名村"), but(ADMIN_WRITE, AB=400, OA=400)),
        ]
    ),
    HOUSEHOLD_IMPORT: Row(
        [
            Probe("GET", get(SLUG + "/admin/households/import"), ADMIN_PAGE),
            Probe(
                "POST new household in A1",
                post(SLUG + "/admin/households/import", registry("SEC-A-0099,周新,sec-a1")),
                but(ADMIN_WRITE, AB=400),
            ),
            Probe(
                "POST A's code in B1",
                post(SLUG + "/admin/households/import", registry("SEC-A-0001,周新,sec-b1")),
                # The county admin may know the code is taken: it is their own county's.
                but(ADMIN_WRITE, AB=400, CA=does(400)),
            ),
        ]
    ),
    "p/<slug:slug>/department-records/": Row(
        [Probe("GET", department_records(SLUG + "/department-records/"), LIST_PAGE)]
    ),
    "p/<slug:slug>/admin/department-records/import": Row(
        [Probe("POST", department_file(SLUG + "/admin/department-records/import"), ADMIN_WRITE)],
        unscoped="a department's file covers the whole project",
    ),
    "p/<slug:slug>/households/<str:household_id>/department-records/": Row(
        [
            Probe("GET", get(HOUSEHOLD + "department-records/"), A_PAGE),
            Probe("POST reveal", post(HOUSEHOLD + "department-records/", {"reveal": "1"}), A_PAGE),
        ]
    ),
    "p/<slug:slug>/department-records/<int:import_id>/": Row(
        [
            Probe(
                "GET",
                department_import(SLUG + "/department-records/{import_id}/"),
                expect(
                    WA=403,
                    WB=403,
                    SA=403,
                    SB=403,
                    AB=403,
                    CA=reads(),
                    OA=404,
                    NR=404,
                    DS=403,
                    AN=LOGIN,
                ),
            )
        ],
        unscoped="a department's file covers the whole project",
    ),
    "p/<slug:slug>/admin/settings/": Row(
        [Probe("GET", get(SLUG + "/admin/settings/"), ADMIN_PAGE)],
        unscoped="the project's settings belong to all its areas",
    ),
    "p/<slug:slug>/admin/settings/save": Row(
        [Probe("POST", post(SLUG + "/admin/settings/save", settings_data), ADMIN_WRITE)],
        unscoped="the project's settings belong to all its areas",
    ),
    "p/<slug:slug>/admin/settings/weights": Row(
        [Probe("POST", post(SLUG + "/admin/settings/weights", weights_data), ADMIN_WRITE)],
        unscoped="the project's risk weights belong to all its areas",
    ),
    "p/<slug:slug>/admin/forms/": Row(
        [
            Probe("GET", get(SLUG + "/admin/forms/"), ADMIN_PAGE),
            Probe(
                "POST the same version",
                post(
                    SLUG + "/admin/forms/", lambda w: {"file": upload("visit.md", VISIT.encode())}
                ),
                ADMIN_WRITE,
            ),
        ],
        unscoped="forms belong to the whole project",
    ),
    "p/<slug:slug>/admin/forms/<str:form_id>/": Row(
        [Probe("GET", get(SLUG + "/admin/forms/visit/"), ADMIN_PAGE)],
        unscoped="forms belong to the whole project",
    ),
    # The forms page's "Preview" of a file: nothing stored, so an admin of one township may too.
    "p/<slug:slug>/admin/forms/preview-upload": Row(
        [
            Probe(
                "POST",
                post(
                    SLUG + "/admin/forms/preview-upload",
                    lambda w: {"file": upload("visit.md", VISIT.encode())},
                ),
                ADMIN_PAGE,
            )
        ],
        unscoped="forms belong to the whole project",
    ),
    "p/<slug:slug>/admin/forms/<str:form_id>/preview": Row(
        [Probe("GET", get(SLUG + "/admin/forms/visit/preview"), ADMIN_PAGE)],
        unscoped="forms belong to the whole project",
    ),
    "p/<slug:slug>/admin/forms/<str:form_id>/state": Row(
        [Probe("POST", post(SLUG + "/admin/forms/visit/state", {"state": "open"}), ADMIN_WRITE)],
        unscoped="forms belong to the whole project",
    ),
    "p/<slug:slug>/admin/forms/<str:form_id>/attachments": Row(
        [
            Probe(
                "POST",
                post(
                    SLUG + "/admin/forms/visit/attachments",
                    lambda w: {"files": upload("extra.csv", b"a,b\n")},
                ),
                but(ADMIN_WRITE, CA=does(400)),
            )
        ],
        unscoped="forms belong to the whole project",
    ),
    # A photo of a submission, for people (not phones).
    "projects/<slug:slug>/submissions/<int:pk>/attachments/<str:name>": Row(
        [
            Probe(
                "GET A's photo",
                get("/projects/demo/submissions/{w.submission.pk}/attachments/house.jpg"),
                # Not behind the sign-in page: an anonymous request is just not found.
                but(OWN_API, WA=reads(), SA=reads(), CA=reads(), AN=404),
            )
        ]
    ),
    **phone_rows("projects/<slug:slug>/", keyed=False),
    **phone_rows("key/<str:token>/projects/<slug:slug>/", keyed=True),
    # The JSON API: the caller's own account.
    ("GET", "/api/v1/me"): Row([Probe("GET", get("/api/v1/me"), SIGNED_IN_API)], unscoped="me"),
    ("GET", "/api/v1/me/tokens"): Row(
        [Probe("GET", get("/api/v1/me/tokens"), SIGNED_IN_API)], unscoped="the caller's tokens"
    ),
    ("POST", "/api/v1/me/tokens"): Row(
        [
            Probe(
                "POST",
                api_post("/api/v1/me/tokens", {"name": "t"}),
                but(everyone(does(201)), AN=401),
            )
        ],
        unscoped="the caller's tokens",
    ),
    ("DELETE", "/api/v1/me/tokens/{token_id}"): Row(
        [
            Probe(
                "DELETE worker A's token",
                lambda w, p: Call("DELETE", f"/api/v1/me/tokens/{w.api_token.pk}"),
                but(everyone(404), WA=does(204), AN=401),
            )
        ],
        unscoped="the caller's tokens: anyone else's is not found",
    ),
    # Projects, members and phones.
    ("GET", "/api/v1/projects"): Row(
        [Probe("GET", get("/api/v1/projects"), SIGNED_IN_API)], unscoped="the caller's projects"
    ),
    ("GET", "/api/v1/projects/{slug}"): Row([Probe("GET", get(API), PROJECT_API)]),
    ("GET", "/api/v1/projects/{slug}/users"): Row([Probe("GET", get(API + "/users"), ADMIN_API)]),
    DEVICES_API: Row([Probe("GET", get(API + "/devices"), but(ADMIN_API, CA=SEES))]),
    REVOKE_API: Row(
        [
            Probe(
                "POST",
                api_post(API + "/devices/{w.device_tokens[worker_a][0].pk}/revoke", {}),
                but(ADMIN_API, AB=404, CA=does(200)),
            )
        ]
    ),
    # Areas.
    ("GET", "/api/v1/projects/{slug}/areas"): Row(
        [
            Probe(
                "GET",
                get(API + "/areas"),
                but(LIST_API, WA=SEES, WB=BLIND),
                secrets=area_secrets,
            )
        ]
    ),
    ("GET", "/api/v1/projects/{slug}/areas/{code}"): Row(
        [
            Probe(
                "GET A1",
                get(API + "/areas/sec-a1"),
                but(A_API, WA=SEES, WB=404),
                secrets=area_secrets,
            )
        ]
    ),
    # Forms: the whole project's.
    ("POST", "/api/v1/projects/{slug}/forms"): Row(
        [
            Probe(
                "POST the same version",
                post(API + "/forms", lambda w: {"file": upload("visit.md", VISIT.encode())}),
                but(ADMIN_API, AB=403, CA=does(200)),
            )
        ],
        unscoped="forms belong to the whole project",
    ),
    **{
        ("GET", f"/api/v1/projects/{{slug}}/forms{tail}"): Row(
            [
                Probe(
                    "GET",
                    get(
                        API
                        + "/forms"
                        + tail.replace("{form_id}", "visit").replace("{version}", "1")
                    ),
                    but(PROJECT_API, WA=403, WB=403),
                )
            ],
            unscoped="forms belong to the whole project",
        )
        for tail in (
            "",
            "/{form_id}",
            "/{form_id}/versions",
            "/{form_id}/versions/{version}",
            "/{form_id}/versions/{version}/xform",
        )
    },
    ("POST", "/api/v1/projects/{slug}/forms/{form_id}/attachments"): Row(
        [
            Probe(
                "POST",
                post(
                    API + "/forms/visit/attachments",
                    lambda w: {"files": upload("extra.csv", b"a\n")},
                ),
                # A file the form does not name is refused: the county admin got past the door.
                but(ADMIN_API, AB=403, CA=does(400)),
            )
        ],
        unscoped="forms belong to the whole project",
    ),
    ("POST", "/api/v1/projects/{slug}/forms/{form_id}/state"): Row(
        [
            Probe(
                "POST",
                api_post(API + "/forms/visit/state", {"state": "open"}),
                but(ADMIN_API, AB=403, CA=does(200)),
            )
        ],
        unscoped="forms belong to the whole project",
    ),
    # Submissions.
    ("GET", "/api/v1/projects/{slug}/submissions"): Row(
        [Probe("GET", get(API + "/submissions"), but(LIST_API, WA=SEES, WB=BLIND))]
    ),
    ("GET", "/api/v1/projects/{slug}/submissions/{submission_id}"): Row(
        [Probe("GET", get(API + "/submissions/{w.submission.pk}"), OWN_API)]
    ),
    ("GET", "/api/v1/projects/{slug}/submissions/{submission_id}/attachments/{name}"): Row(
        [
            Probe(
                "GET A's photo",
                get(API + "/submissions/{w.submission.pk}/attachments/house.jpg"),
                but(OWN_API, WA=reads(), SA=reads(), CA=reads()),
            )
        ]
    ),
    REVIEW_API: Row(
        [
            Probe(
                "POST approve",
                api_post(API + "/submissions/{w.submission.pk}/review", {"state": "approved"}),
                A_API_WRITE,
            ),
            Probe(
                "POST approve registration",
                api_post(API + "/submissions/{w.registration.pk}/review", {"state": "approved"}),
                A_API_WRITE,
            ),
        ]
    ),
    # Households and flags.
    ("GET", "/api/v1/projects/{slug}/households"): Row(
        [Probe("GET", get(API + "/households"), LIST_API)]
    ),
    ("GET", "/api/v1/projects/{slug}/households/{household_id}"): Row(
        [Probe("GET", get(API + "/households/{w.household.uuid}"), A_API)]
    ),
    ("POST", "/api/v1/projects/{slug}/households/{household_id}/resolve"): Row(
        [
            Probe(
                "POST",
                api_post(API + "/households/{w.household.uuid}/resolve", {"note": "checked"}),
                A_API_WRITE,
            )
        ]
    ),
    ("GET", "/api/v1/projects/{slug}/flags"): Row([Probe("GET", get(API + "/flags"), LIST_API)]),
    # Entity lists other than the households: the lists' names and properties reach every area,
    # their counts only what the caller may see; the entities are scoped like households.
    ("GET", "/api/v1/projects/{slug}/datasets"): Row(
        [Probe("GET", get(API + "/datasets"), but(LIST_API, SA=BLIND, CA=BLIND))],
        unscoped="the lists' names, properties and forms: the same for every area",
    ),
    ("GET", "/api/v1/projects/{slug}/datasets/{name}/entities"): Row(
        [Probe("GET", get(TREES), LIST_API, secrets=tree_secrets)]
    ),
    ("POST", "/api/v1/projects/{slug}/datasets/{name}/entities/{entity_id}/resolve"): Row(
        [
            Probe(
                "POST",
                api_post(TREES + "/{w.tree.uuid}/resolve", {"note": "checked"}),
                A_API_WRITE,
                secrets=tree_secrets,
            )
        ]
    ),
    ("DELETE", "/api/v1/projects/{slug}/datasets/{name}/entities/{entity_id}"): Row(
        [
            Probe(
                "DELETE",
                api_delete(TREES + "/{w.tree.uuid}"),
                but(A_API, SA=403, SB=403, CA=does(204)),
                secrets=tree_secrets,
            )
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/flags/{flag_id}/clear"): Row(
        [
            Probe(
                "POST",
                api_post(API + "/flags/{w.flag.pk}/clear", {"note": "checked"}),
                A_API_WRITE,
            )
        ]
    ),
    ("GET", "/api/v1/projects/{slug}/statistics/villages"): Row(
        [Probe("GET", get(API + "/statistics/villages"), LIST_API, secrets=area_secrets)]
    ),
    ("GET", "/api/v1/projects/{slug}/campaigns"): Row(
        [Probe("GET", get(API + "/campaigns"), but(LIST_API, SA=BLIND, CA=BLIND))],
        unscoped="a campaign's name and dates reach every area",
    ),
    ("GET", "/api/v1/projects/{slug}/campaigns/{campaign_id}/progress"): Row(
        [
            Probe(
                "GET",
                get(API + "/campaigns/{w.campaign.pk}/progress"),
                LIST_API,
                secrets=area_secrets,
            )
        ]
    ),
    ("GET", "/api/v1/projects/{slug}/statistics/tables"): Row(
        [Probe("GET", get(API + "/statistics/tables"), but(LIST_API, SA=BLIND, CA=BLIND))],
        unscoped="the tables' names, seeds and columns: the same for every area",
    ),
    ("GET", "/api/v1/projects/{slug}/statistics/tables/{key}"): Row(
        [
            Probe(
                "GET",
                get(API + "/statistics/tables/incidence?year=2026"),
                LIST_API,
                secrets=area_secrets,
            )
        ]
    ),
    # Cases: a township decides its villages' at its level; the county reads them; the household's
    # helper reads its case.
    ("GET", "/api/v1/projects/{slug}/cases/waiting"): Row(
        [Probe("GET", get(API + "/cases/waiting"), but(LIST_API, WA=BLIND, WB=BLIND, CA=BLIND))]
    ),
    # Department staff reach the cases' API for the items handed to their department: any other
    # case is not found, and on their item they work the rectification step only (no rejection).
    ("GET", "/api/v1/projects/{slug}/cases/{case_id}"): Row(
        [
            Probe("GET", get(API + "/cases/{w.case.pk}"), but(OWN_API, DS=404)),
            Probe(
                "GET the housing item",
                get(API + "/cases/{w.rectification.pk}"),
                but(OWN_API, DS=SEES),
            ),
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/cases/{case_id}/decide"): Row(
        [
            Probe(
                "POST return",
                api_post(
                    API + "/cases/{w.case.pk}/decide", {"decision": "return", "comment": "why?"}
                ),
                # The county sees the case; its township's step is not the county's to decide.
                but(A_API_WRITE, CA=403, DS=404),
            ),
            Probe(
                "POST reject the housing item",
                api_post(
                    API + "/cases/{w.rectification.pk}/decide",
                    {"decision": "reject", "comment": "不是问题"},
                ),
                # Its rectification step is the village's; its department works it, never closes it.
                but(A_API, SA=403, CA=403, DS=403),
            ),
        ]
    ),
    ("GET", "/api/v1/projects/{slug}/cases"): Row(
        [Probe("GET", get(API + "/cases"), but(LIST_API, WA=SEES, WB=BLIND))]
    ),
    ("POST", "/api/v1/projects/{slug}/cases"): Row(
        [
            Probe(
                "POST join the open case",
                lambda w, persona: Call(
                    "POST",
                    API + "/cases",
                    json={"household": str(w.household.uuid), "kind": "inclusion", "reason": "x"},
                ),
                A_API_WRITE,
            )
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/cases/{case_id}/record"): Row(
        [
            Probe(
                "POST",
                api_post(API + "/cases/{w.case.pk}/record", {"record": {"opinion": "同意"}}),
                but(A_API_WRITE, CA=403, DS=404),
            ),
            Probe(
                "POST the housing item's progress",
                api_post(
                    API + "/cases/{w.rectification.pk}/record",
                    {"record": {"progress": "已拆除危墙"}},
                ),
                but(A_API, SA=403, CA=403, DS=does(200)),
            ),
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/cases/{case_id}/documents"): Row(
        [
            Probe(
                "POST",
                post(
                    API + "/cases/{w.case.pk}/documents",
                    lambda w: {"role": "other", "file": upload("scan.jpg", b"scan", "image/jpeg")},
                ),
                but(A_API, SA=does(201), CA=403, DS=404),
            ),
            Probe(
                "POST evidence of the housing item",
                post(
                    API + "/cases/{w.rectification.pk}/documents",
                    lambda w: {
                        "role": "evidence",
                        "file": upload("wall.jpg", b"jpg", "image/jpeg"),
                    },
                ),
                but(A_API, SA=403, CA=403, DS=does(201)),
            ),
        ]
    ),
    ("GET", "/api/v1/projects/{slug}/cases/{case_id}/documents/{document_id}"): Row(
        [
            Probe(
                "GET",
                get(API + "/cases/{w.case.pk}/documents/{w.case_document.pk}"),
                but(OWN_API, WA=reads(), SA=reads(), CA=reads(), DS=404),
            )
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/cases/{case_id}/objections"): Row(
        [
            Probe(
                "POST",
                api_post(
                    API + "/cases/{w.case.pk}/objections",
                    {"received_on": "2026-12-02", "text": "异议"},
                ),
                but(A_API, SA=does(201), CA=does(201)),
            )
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/cases/{case_id}/objections/{objection_id}/resolve"): Row(
        [
            Probe(
                "POST",
                api_post(
                    API + "/cases/{w.case.pk}/objections/{w.case_objection.pk}/resolve",
                    {"outcome": "dismissed", "note": "已核实"},
                ),
                A_API_WRITE,
            )
        ]
    ),
    # Rectification items: the ledger is scoped like the cases (the household's helper reads its
    # item); the offices of the household's or village's area open items.
    ("GET", "/api/v1/projects/{slug}/rectifications"): Row(
        [Probe("GET", get(API + "/rectifications"), but(LIST_API, WA=SEES, WB=BLIND, DS=SEES))]
    ),
    ("POST", "/api/v1/projects/{slug}/rectifications"): Row(
        [
            Probe(
                "POST give back the flag's item",
                lambda w, persona: Call(
                    "POST",
                    API + "/rectifications",
                    json={
                        "flag": w.rectification.flag_id,
                        "measure": "拆除重建",
                        "responsible_unit": "乡住建所",
                        "responsible_person": "张工",
                        "deadline": "2027-03-31",
                    },
                ),
                A_API_WRITE,
            )
        ]
    ),
    # More time for an item: its township or the county; never its helper, village or department.
    ("POST", "/api/v1/projects/{slug}/cases/{case_id}/deadline"): Row(
        [
            Probe(
                "POST extend the housing item",
                api_post(
                    API + "/cases/{w.rectification.pk}/deadline",
                    {"deadline": "2027-06-30", "reason": "雨季无法施工"},
                ),
                A_API_WRITE,
            )
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/rectifications/village"): Row(
        [
            Probe(
                "POST",
                lambda w, persona: Call(
                    "POST",
                    API + "/rectifications/village",
                    json={
                        "village": w.village_a.code,
                        "problem": "村卫生室无合格村医",
                        "measure": "选派村医",
                        "responsible_unit": "县卫健局",
                        "responsible_person": "刘科长",
                        "deadline": "2027-03-31",
                        "department": "medical",
                    },
                ),
                but(A_API, SA=does(201), CA=does(201)),
                secrets=area_secrets,
            )
        ]
    ),
    # Renovations: read like the cases (the household's helper reads its renovation); the
    # village office records its stages (the township and the county do not) and the offices of
    # the household's area the move-in (after the works, 409); the county pays (after its
    # acceptance, 409) and draws the re-inspection sample of the whole project.
    ("POST", "/api/v1/projects/{slug}/renovations"): Row(
        [
            Probe(
                "POST give back the household's renovation",
                lambda w, persona: Call(
                    "POST", API + "/renovations", json={"household": str(w.household.uuid)}
                ),
                A_API_WRITE,
            )
        ]
    ),
    ("GET", "/api/v1/projects/{slug}/renovations/{case_id}"): Row(
        [Probe("GET", get(API + "/renovations/{w.renovation.pk}"), OWN_API)]
    ),
    ("POST", "/api/v1/projects/{slug}/renovations/{case_id}/stages/{stage}"): Row(
        [
            Probe(
                "POST a stage: the village's, which neither the township nor the county records",
                api_post(API + "/renovations/{w.renovation.pk}/stages/during", {"record": {}}),
                but(A_API, SA=403, CA=403),
            )
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/renovations/{case_id}/move-in"): Row(
        [
            Probe(
                "POST before the works are done",
                api_post(
                    API + "/renovations/{w.renovation.pk}/move-in", {"moved_in_on": "2026-12-01"}
                ),
                but(A_API, SA=refused(409), CA=refused(409)),
            )
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/renovations/{case_id}/payment"): Row(
        [
            Probe(
                "POST before the county's acceptance",
                api_post(
                    API + "/renovations/{w.renovation.pk}/payment",
                    {"amount": "35000", "paid_on": "2026-12-01"},
                ),
                but(A_API, SA=403, CA=refused(409)),
            )
        ]
    ),
    ("POST", "/api/v1/projects/{slug}/renovation-samples"): Row(
        [
            Probe(
                "POST",
                api_post(API + "/renovation-samples?seed=3", {}),
                but(ADMIN_API, AB=403, CA=does(201)),
            )
        ],
        unscoped="the county's sample of the whole project; none is accepted yet",
    ),
    # Exports: each is its requester's alone.
    ("POST", "/api/v1/projects/{slug}/exports"): Row(
        [
            Probe(
                "POST",
                api_post(API + "/exports", {"kind": "households_csv"}),
                but(A_API, SA=does(202), SB=does(202), AB=does(202), CA=does(202)),
            )
        ],
        unscoped="an export holds what its requester may see",
    ),
    ("GET", "/api/v1/projects/{slug}/exports"): Row(
        [Probe("GET", get(API + "/exports"), but(A_API, SA=reads(), SB=BLIND, AB=BLIND, CA=BLIND))]
    ),
    ("GET", "/api/v1/projects/{slug}/exports/{export_id}"): Row(
        [Probe("GET", get(API + "/exports/{w.export.pk}"), but(A_API, SA=reads(), CA=404))]
    ),
    ("GET", "/api/v1/projects/{slug}/exports/{export_id}/download"): Row(
        [Probe("GET", get(API + "/exports/{w.export.pk}/download"), but(A_API, CA=404))]
    ),
    # The access log names every area's records: admins whose area covers the project only.
    "p/<slug:slug>/access-log/": Row(
        [Probe("GET", access_log(SLUG + "/access-log/"), but(ADMIN_PAGE, AB=403, CA=SEES))]
    ),
    "p/<slug:slug>/access-log.csv": Row(
        [Probe("GET", access_log(SLUG + "/access-log.csv"), but(ADMIN_PAGE, AB=403, CA=SEES))]
    ),
    # The exports page lists the reader's own (supervisor A's export is the world's one).
    "p/<slug:slug>/exports/": Row(
        [
            Probe(
                "GET",
                get(SLUG + "/exports/"),
                but(A_PAGE, SA=reads(), SB=BLIND, AB=BLIND, CA=BLIND),
            )
        ]
    ),
    "p/<slug:slug>/exports/list": Row(
        [
            Probe(
                "GET",
                get(SLUG + "/exports/list"),
                but(A_PAGE, SA=reads(), SB=BLIND, AB=BLIND, CA=BLIND),
            )
        ]
    ),
    "p/<slug:slug>/exports/request": Row(
        [
            Probe(
                "POST",
                post(SLUG + "/exports/request", {"kind": "households_csv"}),
                but(A_PAGE, SA=does(302), SB=does(302), AB=does(302), CA=does(302)),
            )
        ],
        unscoped="an export holds what its requester may see",
    ),
}


# --- the tests ---------------------------------------------------------------------------


def test_every_endpoint_has_a_row():
    """A new URL or API operation is covered before it ships: add its row to MATRIX."""
    missing = sorted(map(str, endpoint_keys() - MATRIX.keys()))
    gone = sorted(map(str, MATRIX.keys() - endpoint_keys()))
    assert not missing, (
        "These endpoints have no row in tests/security/test_authorization_matrix.py::MATRIX. "
        "Add one that aims each method at a township-A record and says what every persona "
        f"gets: {missing}"
    )
    assert not gone, f"MATRIX has rows for endpoints that no longer exist: {gone}"


def test_known_failures_name_real_cells():
    """A mistyped line in KNOWN_FAILURES would silently mark nothing."""
    cells = {(key, probe.name, persona) for key, row, probe, persona in _cells()}
    assert not set(KNOWN_FAILURES) - cells, sorted(map(str, set(KNOWN_FAILURES) - cells))


def _cells():
    for key, row in MATRIX.items():
        for probe in row.probes:
            for persona in PERSONAS:
                yield key, row, probe, persona


def _params():
    for key, _row, probe, persona in _cells():
        reason = KNOWN_FAILURES.get((key, probe.name, persona))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        name = key if isinstance(key, str) else " ".join(key)
        yield pytest.param(
            probe, persona, marks=marks, id=f"{name or '/'} | {probe.name} | {persona}"
        )


@pytest.mark.parametrize(("probe", "persona"), list(_params()))
def test_matrix(world: World, db, probe: Probe, persona: str):
    call = probe.call(world, persona)
    outcome = probe.expect[persona]
    before = snapshot()
    response = send(world, persona, call)
    after = snapshot()
    content = body(response)  # read once: a streamed body cannot be read again

    assert response.status_code == outcome.status, (
        f"{call.method} {call.path} as {persona}: {response.status_code}"
    )
    if outcome.redirect:
        assert response["Location"].startswith(outcome.redirect), response["Location"]
    secrets = probe.secrets_in(world)
    if outcome.kind in {"refused", "blind", "stored"}:
        assert not leaked(content, secrets), f"{persona} was shown {leaked(content, secrets)}"
    if outcome.kind == "sees":
        assert leaked(content, secrets), f"{persona} should see township A's record"
    if outcome.kind in {"refused", "blind", "sees", "reads"}:
        assert not changed_tables(before, after), (
            f"{persona} changed {changed_tables(before, after)}"
        )
    if outcome.kind == "stored":
        changed = set(changed_tables(before, after))
        assert "submissions" in changed, "the submission was not stored"
        assert not changed & set(outcome.keeps), f"{persona} changed {changed & set(outcome.keeps)}"
    if outcome.then is not None:
        outcome.then(world)


WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _methods_by_path(world: World) -> dict[str, set[str]]:
    methods: dict[str, set[str]] = {}
    for row in MATRIX.values():
        for probe in row.probes:
            call = probe.call(world, "county_admin")
            methods.setdefault(call.path, set()).add(call.method)
    return methods


@pytest.mark.parametrize("key", [key for key in MATRIX if key != ADMIN_PREFIX], ids=str)
def test_writes_an_endpoint_does_not_take_change_nothing(world: World, db, key):
    """PUT, PATCH, DELETE (and POST to a read) as the county's admin: refused with 405, except
    by the endpoints that are about no area, and in every case nothing changes."""
    row = MATRIX[key]
    call = row.probes[0].call(world, "county_admin")
    for method in sorted(set(WRITES) - _methods_by_path(world)[call.path]):
        before = snapshot()
        response = send(world, "county_admin", replace(call, method=method, data=None, json=None))
        assert not changed_tables(before, snapshot()), f"{method} {call.path} changed data"
        assert row.unscoped or response.status_code == 405, (
            f"{method} {call.path}: {response.status_code}"
        )
