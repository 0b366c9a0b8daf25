package io.callqa.operators.redaction;

/** Kinds of personal data the redactor masks; their names go into {@code Utterance.piiKinds}. */
public enum PiiKind {
  /** A mainland China mobile number: 11 digits, 1[3-9]…, optionally after +86. */
  CN_MOBILE,
  /** Any other phone number: landline with area code, 400/800, international +…, or in context. */
  PHONE,
  /** A bank card number: 13–19 digits, Luhn-valid, or spoken right after "card" words. */
  BANK_CARD,
  /** A mainland China resident identity number: 17 digits + check char, ISO 7064 MOD 11-2. */
  CN_ID,
  /** An e-mail address, written or spoken ("name at domain dot com"). */
  EMAIL
}
