"""Every download is an attachment with a safe file name, never cached."""

from survey_app.downloads import download, safe_filename


def test_a_download_is_an_uncached_attachment_with_a_safe_name(app):
    response = download("a,b\r\n", 'cohort "report"\r\nSet-Cookie: x.csv', "text/csv")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="cohort-report-Set-Cookie-x.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == "a,b\r\n"


def test_a_name_with_nothing_safe_in_it_gets_the_fallback():
    assert safe_filename("«»", "report") == "report"
    assert safe_filename("findings-1a2b3c4d.xlsx") == "findings-1a2b3c4d.xlsx"
