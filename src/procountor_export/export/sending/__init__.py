"""Phase 3, sending: master data prepared in Procountor (group, items, products, customers),
then each invoice created or adopted, coded, given its PDF copy, approved or sent — every step
recorded first in the journal's state machine."""
