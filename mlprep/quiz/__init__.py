"""The quiz: session queue, answer scoring, the session engine and its terminal front end."""
