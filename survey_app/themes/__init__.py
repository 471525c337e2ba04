"""`survey-app themes`: theme the comments in one column of any CSV file (analysis/theming)."""
