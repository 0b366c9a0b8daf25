package io.callqa.operators.redaction;

import static org.assertj.core.api.Assertions.assertThat;

import io.callqa.schemas.Channel;
import io.callqa.schemas.Utterance;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PiiRedactorTest {
  final PiiRedactor redactor = new PiiRedactor();

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // CN mobile, zh and en, with separators and country code
        "我的手机号是13800138000 | 我的手机号是*******8000 | CN_MOBILE",
        "my phone number is 13800138000 | my phone number is *******8000 | CN_MOBILE",
        "call 138 0013 8000 now | call *******8000 now | CN_MOBILE",
        "number +8613912345678 please | number *********5678 please | CN_MOBILE",
        // other phones
        "座机010-62345678 | 座机*******5678 | PHONE",
        "call 4008123123 | call ******3123 | PHONE",
        "international +442071838750 | international ********8750 | PHONE",
        "my phone is 62345678 | my phone is ****5678 | PHONE",
        // bank cards: Luhn-valid anywhere, Luhn-invalid only after card words
        "4111111111111111 | ************1111 | BANK_CARD",
        "卡号6222021234567894 | 卡号************7894 | BANK_CARD",
        "my card number is 6222021234567890 | my card number is ************7890 | BANK_CARD",
        "我的银行卡是6217000010001234567 | 我的银行卡是***************4567 | BANK_CARD",
        // CN resident ID: checksum-valid anywhere, invalid only after ID words
        "11010519491231002X | **************002X | CN_ID",
        "号码440524188001010014好的 | 号码**************0014好的 | CN_ID",
        "身份证号320102199001011234 | 身份证号**************1234 | CN_ID",
        // e-mail, written and spoken
        "mail me at john.doe@example.com ok | mail me at j*******@example.com ok | EMAIL",
        "my email is john at example dot com | my email is j*** at example dot com | EMAIL",
      })
  void masksPii(String text, String expected, PiiKind kind) {
    PiiRedactor.Result r = redactor.redact(text);
    assertThat(r.text()).isEqualTo(expected);
    assertThat(r.kinds()).containsExactly(kind);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "我要投诉到12315", // a 5-digit hotline
        "4111111111111112", // Luhn fails, no card words
        "6222021234567890", // the demo card number is not Luhn-valid: needs its context
        "320102199001011234", // ID checksum fails, no ID words
        "12800138000", // 12x is not a mobile prefix
        "order 12345678 arrived", // 8 digits without phone words
        "the year 2024 and 2025",
        "i have 2 kids and 3 cats",
        "*******8000", // already masked
        "john at home",
        "''",
      })
  void leavesOtherNumbersAlone(String text) {
    PiiRedactor.Result r = redactor.redact(text);
    assertThat(r.text()).isEqualTo(text);
    assertThat(r.found()).isFalse();
  }

  @Test
  void findsAPhoneNumberThatRecognitionLengthenedByItsContext() {
    // the demo model once heard 13800138000 as 1388001388000 (two doubled digits)
    PiiRedactor.Result r = redactor.redact("my phone number is 1388001388000");
    assertThat(r.found()).isTrue();
    assertThat(r.text()).doesNotContain("1388001388000").endsWith("8000");
    // without a phone (or card) word, a 13-digit run that fails Luhn is not taken for PII
    assertThat(redactor.redact("order 1388001388001 shipped").found()).isFalse();
  }

  @Test
  void findsSeveralKindsInOneUtterance() {
    PiiRedactor.Result r = redactor.redact("手机13800138000，邮箱 amy@qq.com，卡号 6222021234567890");
    assertThat(r.text()).isEqualTo("手机*******8000，邮箱 a**@qq.com，卡号 ************7890");
    assertThat(r.kinds())
        .containsExactlyInAnyOrder(PiiKind.CN_MOBILE, PiiKind.EMAIL, PiiKind.BANK_CARD);
  }

  @Test
  void keepsAMobileThatRunsIntoAnotherNumber() {
    PiiRedactor.Result r = redactor.redact("13800138000 2");
    assertThat(r.text()).isEqualTo("*******8000 2");
    assertThat(r.kinds()).containsExactly(PiiKind.CN_MOBILE);
  }

  @Test
  void redactingTwiceChangesNothing() {
    String once = redactor.redact("my card number is 6222021234567890 and 13800138000").text();
    PiiRedactor.Result twice = redactor.redact(once);
    assertThat(twice.text()).isEqualTo(once);
    assertThat(twice.found()).isFalse();
  }

  @Test
  void checksums() {
    assertThat(PiiRedactor.luhnValid("4111111111111111")).isTrue();
    assertThat(PiiRedactor.luhnValid("6222021234567890")).isFalse();
    assertThat(PiiRedactor.luhnValid("6222021234567894")).isTrue();
    assertThat(PiiRedactor.cnIdValid("11010519491231002X")).isTrue();
    assertThat(PiiRedactor.cnIdValid("11010519491231002x")).isTrue();
    assertThat(PiiRedactor.cnIdValid("110105194912310021")).isFalse();
    assertThat(PiiRedactor.cnIdValid("440524188001010014")).isTrue();
    assertThat(PiiRedactor.cnIdValid("44052418800101001")).isFalse();
  }

  @Test
  void redactionFunctionRewritesTextAndAddsKinds() {
    Utterance u =
        Utterance.newBuilder()
            .setUtteranceId("c1/CUSTOMER/3")
            .setTenant("t")
            .setCallId("c1")
            .setChannel(Channel.CUSTOMER)
            .setSlotIndex(3)
            .setStartMs(0)
            .setEndMs(1000)
            .setText("my card number is 6222021234567890")
            .setPiiKinds(List.of("VOICEPRINT"))
            .build();
    Utterance r = PiiRedactionFunction.redact(redactor, u, null);
    assertThat(r.getText()).isEqualTo("my card number is ************7890");
    assertThat(r.getPiiKinds()).containsExactly("BANK_CARD", "VOICEPRINT");
    assertThat(u.getText()).isEqualTo("my card number is 6222021234567890"); // input untouched
    Utterance clean = Utterance.newBuilder(u).setText("hello").build();
    assertThat(PiiRedactionFunction.redact(redactor, clean, null)).isSameAs(clean);
  }
}
