"""Coding drills: the catalogue and a grader that never runs the learner's code where it judges.

catalog   drills/<name>/ folders and their metadata
runner    one grading run: a trusted ``pytest -p mlprep.drills.plugin`` process, verdict over a private pipe
plugin    inside that process: the ``solution`` fixture and the verdict of each test
proxy     the ``solution`` object: calls forwarded to the sandboxed child
sandbox   starting, limiting and killing the child (limits: the Limits it runs under)
child     inside the child: import the learner's file, serve calls
protocol  the data-only wire format between them
compare   helpers hidden tests use to compare results and explain differences
results   the results model and its JSON; report: the terminal report; progress: attempts, hints
"""
