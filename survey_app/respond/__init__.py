"""What people who answer by link see: surveys, 360 participants' task lists and raters."""
