"""People in a campaign: 360 participants, their raters, and survey respondents' links."""
