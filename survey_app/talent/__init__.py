"""The talent pool: a restricted register of people who put themselves forward."""
