"""The review desk: editors approve, correct, flag and reject proposed stances."""
