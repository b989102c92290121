"""Korean forms of the messages of tuning/, tuners/, visualization/, wrappers/, distribution/, ops/, random/.

English template -> Korean template, in the style of ko.py (its docstring gives the terms).
"""

MESSAGES = {}
