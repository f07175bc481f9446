"""Community canteens for the elderly and the public money that subsidises their meals.

The package is laid out by domain (``diners``, ``accounts``, ``auth``, ``canteens`` ...);
each domain keeps the same files: ``models.py`` (storage), ``service.py`` (one use case,
one transaction), ``schemas.py`` (the HTTP shapes) and ``api.py`` (thin handlers).
Pure modules (``money``, ``diners.resident_id``) do no I/O.
"""
