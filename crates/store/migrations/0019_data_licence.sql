-- The licence a place publishes its open data under (a slug of the
-- DataLicence vocabulary); none means the Open Government Licence.
ALTER TABLE place ADD COLUMN data_licence TEXT;
