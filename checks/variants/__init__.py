"""Other tasks for the exercises' skeletons (issue 24): ``checks/variants/<exercise>/<variant>.py``,
each a declaration of its own that registers with its exercise's family (``checks.registry``); which
learner does which is ``checks.allocation``'s, and which is in force in a kernel ``checks.variation``'s."""
