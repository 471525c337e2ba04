"""The four-level evaluation of a cohort: reaction, learning, behaviour and results."""
