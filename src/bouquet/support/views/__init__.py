"""Pages of the support context: members' pages (trainings, help, services) and the operator's."""
