"""Screens: everything the CLI draws (questions and answers, the quiz screen and its keys, the grade report)."""
