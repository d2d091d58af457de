-- Older versions keyed the double -0.0 as '-0', apart from 0.0 ('0'), though they are one value. Only a double's key
-- can be '-0' (a long's is '0', a string's is quoted). Where both zeros were held, the '0' entry stays.
DELETE FROM cv_uniques AS u
WHERE u.value = '-0'
  AND EXISTS (SELECT 1 FROM cv_uniques AS z WHERE z.stream = u.stream AND z.collection = u.collection AND z.field = u.field AND z.value = '0');

UPDATE cv_uniques SET value = '0', value_hash = sha256(convert_to('0', 'UTF8')) WHERE value = '-0';
