"""The notes importer: Markdown / Obsidian notes in, question cards out.

``markdown`` scans a note into classified lines, ``extract`` (with ``inline``) turns them into
cards, ``topics`` infers topics and tags, ``merge`` keeps ids stable across re-imports, and
``bankfile`` writes the YAML. ``notes`` ties these together for one note file.
"""
