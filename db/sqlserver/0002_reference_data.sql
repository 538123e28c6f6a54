-- Reference data: partner regions (NUTS 2021), NACE Rev. 2 sections, S3 areas of the Baltic Sea Region.
-- Region codes: NUTS 2021 classification, Commission Delegated Regulation (EU) 2019/1755 (Eurostat);
-- see docs/reference-data.md. Levels differ on purpose: the programme works with these exact territories.

INSERT INTO regions (code, name, country_code, nuts_level, kind, sort_order) VALUES
('PL84', N'Podlaskie', 'PL', 2, 'supported', 1),
('LV008', N'Vidzeme', 'LV', 3, 'supported', 2),
('EE008', N'Lõuna-Eesti (South Estonia)', 'EE', 3, 'supported', 3),
('LT01', N'Sostinės regionas (Capital region of Lithuania)', 'LT', 2, 'supported', 4),
('LT02', N'Vidurio ir vakarų Lietuvos regionas (Central and Western Lithuania, incl. Kaunas)', 'LT', 2, 'supported', 5),
('DE60', N'Hamburg', 'DE', 2, 'advanced', 6),
('FI1C4', N'Kymenlaakso', 'FI', 3, 'advanced', 7),
('FI19', N'Länsi-Suomi (West Finland)', 'FI', 2, 'advanced', 8),
('DK03', N'Syddanmark (Southern Denmark)', 'DK', 2, 'advanced', 9),
('DK05', N'Nordjylland (North Denmark)', 'DK', 2, 'advanced', 10),
('SE23', N'Västsverige (West Sweden)', 'SE', 2, 'advanced', 11);

INSERT INTO nace_sections (code, name) VALUES
('A', N'Agriculture, forestry and fishing'),
('B', N'Mining and quarrying'),
('C', N'Manufacturing'),
('D', N'Electricity, gas, steam and air conditioning supply'),
('E', N'Water supply; sewerage, waste management and remediation activities'),
('F', N'Construction'),
('G', N'Wholesale and retail trade; repair of motor vehicles and motorcycles'),
('H', N'Transportation and storage'),
('I', N'Accommodation and food service activities'),
('J', N'Information and communication'),
('K', N'Financial and insurance activities'),
('L', N'Real estate activities'),
('M', N'Professional, scientific and technical activities'),
('N', N'Administrative and support service activities'),
('O', N'Public administration and defence; compulsory social security'),
('P', N'Education'),
('Q', N'Human health and social work activities'),
('R', N'Arts, entertainment and recreation'),
('S', N'Other service activities'),
('T', N'Activities of households as employers; undifferentiated goods- and services-producing activities of households for own use'),
('U', N'Activities of extraterritorial organisations and bodies');

INSERT INTO s3_areas (code, name, sort_order) VALUES
('ict-digitalisation', N'ICT and digitalisation (incl. cybersecurity)', 1),
('health-nutrition', N'Health and nutrition / smart health', 2),
('sustainable-innovation', N'Sustainable innovation and circular economy', 3),
('bioeconomy', N'Bioeconomy', 4),
('advanced-manufacturing', N'Advanced manufacturing and key enabling technologies', 5),
('smart-cities', N'Smart cities', 6),
('resource-efficiency', N'Resource efficiency', 7),
('water-management', N'Sustainable water management', 8);
