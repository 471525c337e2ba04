"""360 reports: participant reports, development plans, the cohort report, PDFs and exports."""
