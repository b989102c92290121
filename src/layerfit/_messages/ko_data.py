"""Korean forms of the messages of data/, datasets/, utils/, saving/.

English template -> Korean template, in the style of ko.py (its docstring gives the terms).
"""

MESSAGES = {}
