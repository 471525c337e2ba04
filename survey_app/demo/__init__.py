"""Demo data for `make run`: a levelled 360, a survey and a programme with every journey."""
