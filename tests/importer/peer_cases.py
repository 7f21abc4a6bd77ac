"""Parity cases with the obsidian-spaced-repetition plugin's parser, default settings.

Each case mirrors one published case of that plugin's ``tests/unit/parser.test.ts`` (default
separators ``::``, ``:::``, ``?``, ``??``, no end marker; clozes ``==x==``, ``**x**``, ``{{x}}``),
written here with our own words. An expectation lists the cards *we* make: ``(line, front,
back)``, 1-based line; a reversed card (``:::``, ``??``) is two of ours, one per direction; a
cloze is ``(line, "cloze", text with {{cN::…}})``. Our section cards ("Explain: <heading>") are a
feature the plugin does not have and are left out of the comparison.

``DIFFERS`` are the cases where we deliberately make something else; the README says why.
"""

from __future__ import annotations

SINGLE_LINE = [
    ("front::back", "Gradient::the vector of partial derivatives", [(1, "Gradient", "the vector of partial derivatives")]),
    ("schedule on the next line", "Gradient::partials\n<!--SR:!2021-08-11,4,270-->", [(1, "Gradient", "partials")]),
    ("schedule on the line", "Gradient::partials <!--SR:2021-08-11,4,270-->", [(1, "Gradient", "partials")]),
    ("text before", "Some words first\nEpoch ::one pass over the data", [(2, "Epoch", "one pass over the data")]),
    ("one-word fronts", "#Topic\n\nK1::V1\nK2:: V2", [(3, "K1", "V1"), (4, "K2", "V2")]),
    ("tag before the front", "#flashcards/ml Epoch ::one pass", [(1, "Epoch", "one pass")]),
    ("reversed", "Logit:::unnormalised log-probability",
     [(1, "Logit", "unnormalised log-probability"), (1, "unnormalised log-probability", "Logit")]),
    ("reversed after text", "Some words first\nLogit :::raw score", [(2, "Logit", "raw score"), (2, "raw score", "Logit")]),
    ("reversed one-word fronts", "#Topic\n\nK1:::V1\nK2::: V2",
     [(3, "K1", "V1"), (3, "V1", "K1"), (4, "K2", "V2"), (4, "V2", "K2")]),
]

MULTI_LINE = [
    ("front ? back", "Front side\n?\nBack side", [(1, "Front side", "Back side")]),
    ("separator with a trailing space", "Front side\n? \nBack side", [(1, "Front side", "Back side")]),
    ("schedule on the back line", "Front side\n?\nBack side <!--SR:!2021-08-11,4,270-->", [(1, "Front side", "Back side")]),
    ("schedule below the back", "Front side\n?\nBack side\n<!--SR:2021-08-11,4,270-->", [(1, "Front side", "Back side")]),
    ("two-line front", "Front one\nFront two\n?\nBack side", [(1, "Front one\nFront two", "Back side")]),
    ("two-line back", "Front side\n?\nBack one\nBack two", [(1, "Front side", "Back one\nBack two")]),
    ("two cards, paragraphs", "#Topic\n\nLead\nF1\n?\nB1\nMore of B1\n\nF2\n?\nB2",
     [(3, "Lead\nF1", "B1\nMore of B1"), (9, "F2", "B2")]),
    ("tag on the line above", "#flashcards/ml\nFront side\n?\nBack side", [(2, "Front side", "Back side")]),
    ("reversed", "Front side\n??\nBack side", [(1, "Front side", "Back side"), (3, "Back side", "Front side")]),
    ("reversed, two-line front", "Front one\nFront two\n??\nBack side",
     [(1, "Front one\nFront two", "Back side"), (4, "Back side", "Front one\nFront two")]),
    ("reversed, two-line back", "Front side\n??\nBack one\nBack two",
     [(1, "Front side", "Back one\nBack two"), (3, "Back one\nBack two", "Front side")]),
    ("reversed, two cards", "#Topic\n\nLead\nF1\n??\nB1\nMore of B1\n\nF2\n??\nB2",
     [(3, "Lead\nF1", "B1\nMore of B1"), (6, "B1\nMore of B1", "Lead\nF1"), (9, "F2", "B2"), (11, "B2", "F2")]),
]

CLOZES = [
    ("highlight", "a ==masked== word", [(1, "cloze", "a {{c1::masked}} word")]),
    ("highlight, schedule below", "a ==masked== word\n<!--SR:2021-08-11,4,270-->", [(1, "cloze", "a {{c1::masked}} word")]),
    ("highlight, schedule on the line", "a ==masked== word <!--SR:2021-08-11,4,270-->", [(1, "cloze", "a {{c1::masked}} word")]),
    ("two highlights", "==both== are ==masked==\n", [(1, "cloze", "{{c1::both}} are {{c2::masked}}")]),
    ("highlight paragraphs", "plain words\n\nfirst part\nwith ==one==\n\nmore words\nwith ==two== and ==three==\ntail words\n\nEnd",
     [(3, "cloze", "first part\nwith {{c1::one}}"), (6, "cloze", "more words\nwith {{c1::two}} and {{c2::three}}\ntail words")]),
    ("lone ==", "stray ==", []),
    ("highlight over two lines", "words ==p\nq== words", []),
    ("unbalanced highlight", "words ==unclosed=", []),
    ("curly", "a {{masked}} word", [(1, "cloze", "a {{c1::masked}} word")]),
    ("curly, schedule below", "a {{masked}} word\n<!--SR:2021-08-11,4,270-->", [(1, "cloze", "a {{c1::masked}} word")]),
    ("curly, schedule on the line", "a {{masked}} word <!--SR:2021-08-11,4,270-->", [(1, "cloze", "a {{c1::masked}} word")]),
    ("two curly", "{{both}} are {{masked}}\n", [(1, "cloze", "{{c1::both}} are {{c2::masked}}")]),
    ("curly paragraphs", "plain words\n\nfirst part\nwith {{one}}\n\nmore words\nwith {{two}} and {{three}}\ntail words\n\nEnd",
     [(3, "cloze", "first part\nwith {{c1::one}}"), (6, "cloze", "more words\nwith {{c1::two}} and {{c2::three}}\ntail words")]),
    ("lone {{", "stray {{", []),
    ("lone }}", "stray }}", []),
    ("curly over two lines", "words {{p\nq}} words", []),
    ("unbalanced curly", "words {{unclosed}", []),
    ("highlighted inline code", "this has ==`code`== inside", [(1, "cloze", "this has {{c1::`code`}} inside")]),
]

MIXED = [
    ("cloze, pair and reversed with a schedule",
     "# Heading\n\nSome ==hidden words== here and ==there==.\nA second line ==also==\nthird line.\n\n"
     "Pair front::pair back\n\nReversed front words.\n??\nReversed back words.\n<!--SR:2021-08-11,4,270-->",
     [(3, "cloze", "Some {{c1::hidden words}} here and {{c2::there}}.\nA second line {{c3::also}}\nthird line."),
      (7, "Pair front", "pair back"),
      (9, "Reversed front words.", "Reversed back words."),
      (11, "Reversed back words.", "Reversed front words.")]),
    ("same front twice", "Same front::first back\nSame front::second back",
     [(1, "Same front", "first back"), (2, "Same front", "second back")]),
]

CODE = [
    ("inline code in a pair", "a front with `some code` in it::a back with `code` too",
     [(1, "a front with `some code` in it", "a back with `code` too")]),
    ("code block back", "How do you print in Python?\n?\n```\nprint('hi')\nprint('there?')\nlambda x: x[0]\n```",
     [(1, "How do you print in Python?", "```\nprint('hi')\nprint('there?')\nlambda x: x[0]\n```")]),
    ("code block back with blank lines", "How do you print in Python?\n?\n```python\nprint('hi')\n\n\nprint('there?')\n\nlambda x: x[0]\n```",
     [(1, "How do you print in Python?", "```python\nprint('hi')\n\n\nprint('there?')\n\nlambda x: x[0]\n```")]),
    ("nested fences", "Nested fences?\n?\n````ad-note\n\n```git\n+ a\n- b\n```\n\n~~~python\nprint(1)\n~~~\n````",
     [(1, "Nested fences?", "````ad-note\n\n```git\n+ a\n- b\n```\n\n~~~python\nprint(1)\n~~~\n````")]),
    ("pair in a comment", "<!--front::back words-->", []),
    ("reversed pair in a comment", "<!--front:::back words-->", []),
    ("card in a comment", "<!--\nFront side\n?\nBack side <!--SR:!2021-08-11,4,270-->\n-->", []),
    ("card and cloze in comments", "<!--\nFront side\n?\nBack side <!--SR:!2021-08-11,4,270-->\n\n<!--a ==masked== word-->-->", []),
    ("highlight in a comment", "<!--a ==masked== word-->", []),
    ("bold in a comment", "<!--a **masked** word-->", []),
    ("curly in a comment", "<!--a {{masked}} word-->", []),
    ("curly in a comment after text", "some words\n<!--a {{masked}} word-->", []),
    ("card after a comment", "some words\n\n<!--a {{masked}} word-->\n\nx::y", [(5, "x", "y")]),
    ("pair in a code block", "```\nfront::back\n```", []),
    ("reversed pair in a code block", "```\nfront:::back\n```", []),
    ("highlight in a code block", "# Heading\n\n```markdown\nsome ==highlighted== words!\n```\n\nmore!", []),
    ("bold in a code block", "# Heading\n```markdown\nsome **bold** words!\n```\n\nmore!", []),
    ("curly in a code block", "# Heading\n\n```\nd = {{'a': 2}}\n```\n\nmore!", []),
    ("pair in inline code", "`front::back`", []),
    ("a pair, then code", "Front::Back\n\n```\nfront::back\n```\n\n`front::back`\n", [(1, "Front", "Back")]),
]

# The plugin's default settings also read **bold** as a cloze deletion. We do not: notes bold key
# terms in answers and headings all the time, and each would become a card.
DIFFERS = [
    ("bold", "a **masked** word", []),
    ("bold, schedule below", "a **masked** word\n<!--SR:2021-08-11,4,270-->", []),
    ("bold, schedule on the line", "a **masked** word <!--SR:2021-08-11,4,270-->", []),
    ("two bold", "**both** are **masked**\n", []),
    ("bold paragraphs", "plain words\n\nfirst part\nwith **one**\n\nmore words\nwith **two** and **three**\ntail words\n\nEnd", []),
    ("bold and highlight", "a **bold** word and ==a masked one==!", [(1, "cloze", "a **bold** word and {{c1::a masked one}}!")]),
]
# where the plugin finds nothing and neither do we, but the case is about bold
SAME_FOR_BOLD = [
    ("lone **", "stray **", []),
    ("bold over two lines", "words **p\nq** words", []),
    ("unbalanced bold", "words **unclosed*", []),
]

CASES = SINGLE_LINE + MULTI_LINE + CLOZES + MIXED + CODE + SAME_FOR_BOLD
