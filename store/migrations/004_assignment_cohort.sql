-- Schema version 4: the patient cohort a shift serves (kohortplan), when the leader set one.

ALTER TABLE assignment ADD COLUMN cohort_id TEXT;
