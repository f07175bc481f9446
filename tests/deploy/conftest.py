"""The deployment drill (test_drill.py) starts PostgreSQL clusters, nginx and four server
processes: ``make soak`` runs it (``CANTEEN_DEPLOY_DRILL=1``); ``make test`` leaves it out."""

import os

collect_ignore = [] if os.environ.get("CANTEEN_DEPLOY_DRILL") == "1" else ["test_drill.py"]
