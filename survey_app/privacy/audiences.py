"""Who may use each endpoint: the access-control policy in one place, checked by the tests.

public        anyone (sign-in page, health check, static files)
token         whoever holds a personal link; the token in the URL is the credential
commissioner  a signed-in user with access to the campaign (owner, share or admin) or region
              (owner or admin) in the URL
admin         signed-in administrators only

tests/security walks app.url_map and fails for an endpoint missing here, then probes each
audience's endpoints as every other kind of visitor.
"""

from __future__ import annotations

PUBLIC = (
    "static",
    "main.index",
    "main.health",
    "charts.plotly_js",
    "auth.sign_in",
    "auth.sign_out",
    "auth.forgot_password",
)
ADMIN = ("admin.audit_log", "admin.users", "admin.update_user")
TOKEN = (
    "respond.o_start",
    "respond.p_autosave",
    "respond.p_check",
    "respond.p_done",
    "respond.p_page",
    "respond.p_raters",
    "respond.p_saved",
    "respond.p_start",
    "respond.p_tasks",
    "respond.r_autosave",
    "respond.r_begin",
    "respond.r_check",
    "respond.r_decline",
    "respond.r_done",
    "respond.r_new_code",
    "respond.r_page",
    "respond.r_resume",
    "respond.r_saved",
    "respond.r_start",
    "reports.development_plan",
    "reports.participant_report_page",
    "reports.participant_report_pdf",
    "privacy.r_notice",
    "privacy.p_notice",
    "privacy.p_export",
    "auth.reset_password",
    "nominations.line_manager_review",
    "coaching.p_support",
    "sponsors.confirm",
    "talent.r_join",
    "talent.p_join",
    "talent.own_entry",
)
COMMISSIONER = (
    "auth.change_password",
    "campaigns.add_participant_page",
    "campaigns.add_rater",
    "campaigns.change_status",
    "campaigns.confirm_status",
    "mail.confirm_send",
    "reports.confirm_release",
    "campaigns.dashboard",
    "campaigns.detail",
    "campaigns.download_links",
    "campaigns.edit",
    "campaigns.export",
    "campaigns.import_cancel",
    "campaigns.import_page",
    "campaigns.import_preview",
    "campaigns.links",
    "campaigns.new",
    "campaigns.new_links",
    "campaigns.open_link",
    "campaigns.open_link_made",
    "campaigns.participant",
    "campaigns.participants_template",
    "campaigns.share",
    "campaigns.undo_import",
    "campaigns.upload_participants",
    "findings.adopt",
    "findings.codebook",
    "findings.findings",
    "findings.findings_export",
    "findings.findings_print",
    "findings.recode",
    "findings.save_hipo",
    "findings.save_redaction",
    "mail.messages",
    "mail.send",
    "reports.campaign_report_json",
    "reports.cohort_csv",
    "reports.cohort_page",
    "reports.cohort_pdf",
    "reports.cohort_xlsx",
    "reports.release_report",
    "reports.staff_report",
    "reports.staff_report_json",
    "reports.staff_report_pdf",
    "privacy.erase_participant_page",
    "nominations.review",
    "mixing.close",
    "mixing.set_date",
    "mail.reveal",
    "reports.confirm_earlier",
    "coaching.regions",
    "coaching.region",
    "coaching.supporter",
    "coaching.supporter_own_360",
    "coaching.programme",
    "coaching.match",
    "coaching.end",
    "coaching.session",
    "sponsors.sponsors",
    "talent.register",
    "talent.erase",
    "evaluation.evaluation",
    "evaluation.evaluation_pdf",
    "evaluation.evaluation_export",
    "evaluation.questionnaire",
    "evaluation.questionnaire_added",
    "evaluation.outcomes",
    "library.index",
    "library.upload",
    "library.version",
    "library.preview",
    "library.export",
)

AUDIENCES: dict[str, str] = {
    **dict.fromkeys(PUBLIC, "public"),
    **dict.fromkeys(TOKEN, "token"),
    **dict.fromkeys(COMMISSIONER, "commissioner"),
    **dict.fromkeys(ADMIN, "admin"),
}


def audience_of(endpoint: str | None) -> str | None:
    """The declared audience of an endpoint, or None when it has no declaration."""
    return AUDIENCES.get(endpoint or "")
