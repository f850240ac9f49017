from django.urls import path

from backend.casework import pages, renovation_views, views

app_name = "casework"

CASE = "p/<slug:slug>/cases/<int:case_id>/"
VILLAGE = "p/<slug:slug>/cases/villages/<str:village>/"

urlpatterns = [
    path("p/<slug:slug>/cases/", pages.queue, name="queue"),
    path(CASE, pages.case_page, name="case"),
    path(CASE + "decide", pages.decide, name="decide"),
    path(CASE + "renovation/", renovation_views.renovation_page, name="renovation"),
    path(CASE + "record", pages.record, name="record"),
    path(CASE + "documents", pages.document_add, name="document_add"),
    path(CASE + "documents/<int:document_id>", pages.document_download, name="document"),
    path(CASE + "objections", pages.objection_add, name="objection_add"),
    path(
        CASE + "objections/<int:objection_id>/resolve",
        pages.objection_resolve,
        name="objection_resolve",
    ),
    path(VILLAGE, views.village_page, name="village"),
    path(VILLAGE + "approve", views.village_approve, name="village_approve"),
    path(VILLAGE + "notice/", views.notice_print, name="notice"),
    path(VILLAGE + "notice.pdf", views.notice_download, name="notice_pdf"),
]
