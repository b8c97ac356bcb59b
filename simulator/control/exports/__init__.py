"""Export writers: each turns a `Run` (exports/run.py) into one format."""
