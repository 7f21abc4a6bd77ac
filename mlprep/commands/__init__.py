"""One module per command group; each exposes typer commands the root app registers."""
