"""Charts are drawn from a locally served plotly.js and embedded as data, not inline script."""

import plotly.graph_objects as go
from markupsafe import Markup

from survey_app.charts.routes import chart_div


def test_plotly_is_served_from_the_installed_package(client):
    response = client.get("/vendor/plotly.min.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert b"plotly" in response.data[:2000].lower()


def test_chart_placeholder_carries_the_figure_and_an_accessible_label(app):
    figure = go.Figure(go.Bar(x=["Peers"], y=[3.2]))
    with app.test_request_context():
        html = chart_div(figure, "Ratings by group <script>")
    assert isinstance(html, Markup)
    assert 'role="img"' in html and "&lt;script&gt;" in html
    assert "<script" not in html
    assert "Peers" in html and "3.2" in html


def test_chart_data_leaves_out_plotlys_default_theme(app):
    figure = go.Figure(go.Bar(x=["Peers"], y=[3.2]))
    with app.test_request_context():
        html = chart_div(figure, "Ratings")
    assert "colorscale" not in html
    assert len(html) < 1000
