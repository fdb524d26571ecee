"""宛名 (atena): the integrated addressee master — the one master of persons.

Every business unit refers to a person only by 宛名番号 (``atena_no``).
"""
