package io.callqa.operators.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntentMatcherTest {
  static final RulesConfig DEFAULTS = RulesLoader.defaults();
  static final IntentMatcher MATCHER = IntentMatcher.of(DEFAULTS);

  @Test
  void tokenizesCjkCharactersWordsAndDigits() {
    assertThat(TextTokens.tokenize("您好，I'm  OK!")).containsExactly("您", "好", "im", "ok");
    assertThat(TextTokens.tokenize("我要投诉到12315"))
        .containsExactly("我", "要", "投", "诉", "到", "1", "2", "3", "1", "5");
    assertThat(TextTokens.tokenize("一二三一五")).containsExactly("1", "2", "3", "1", "5");
    assertThat(TextTokens.tokenize("ＡＢＣ　１２")).containsExactly("abc", "1", "2");
    assertThat(TextTokens.tokenize("*******8000")).containsExactly("8", "0", "0", "0");
    assertThat(TextTokens.tokenize(null)).isEmpty();
    assertThat(TextTokens.tokenize(" ,.!? ")).isEmpty();
  }

  @Test
  void everyLexiconPhraseMatchesItsOwnIntentAndNoOtherOfItsRole() {
    List<String> problems = new ArrayList<>();
    for (Lexicon.Intent intent : DEFAULTS.lexicon().intents().values()) {
      for (String phrase : intent.allPhrases()) {
        List<String> found = MATCHER.intents(phrase);
        if (!found.contains(intent.name())) {
          problems.add(intent.name() + " missed on \"" + phrase + "\"");
        }
        for (String other : found) {
          Lexicon.Intent o = DEFAULTS.lexicon().intents().get(other);
          if (!other.equals(intent.name()) && o.role() == intent.role()) {
            problems.add("\"" + phrase + "\" (" + intent.name() + ") also matched " + other);
          }
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  @ParameterizedTest(name = "{0} ⇒ {1}")
  @CsvSource({
    // one character wrong, missing or extra (zh)
    "这不规我管, agent_banned",
    "这不归管, agent_banned",
    "这不归我来管, agent_banned",
    "转人公, customer_request_human",
    "我要人工课服, customer_request_human",
    "我要投素, customer_complaint_risk",
    "我理解你的心情, agent_empathy",
    // two characters wrong in longer phrases (zh)
    "您好很高性为你服务, agent_greeting",
    "请问还有其它可以帮你的吗, agent_closing",
    "非常包歉给您带来不变, agent_empathy",
    "正在为你转借人工客服, agent_transfer",
    "目前人工座席繁忙, agent_deflect_human",
    // one or two words wrong, missing or misspelt (en)
    "i want to talk to the human, customer_request_human",
    "let me speak to real person, customer_request_human",
    "i understand your frustraton, agent_empathy",
    "that is not my problems, agent_banned",
    "calm dawn, agent_banned",
    "is there anything else i could help you, agent_closing",
    "thank you for calling how can help you, agent_greeting",
    "i want to file complaint, customer_complaint_risk",
    // inside longer utterances, with punctuation, mixed scripts and ITN digits
    "喂，您好！请问有什么可以帮您？我是小王, agent_greeting",
    "ok so i will transfer you to an agent now please hold, agent_transfer",
    "你们这样我要投诉到12315, customer_complaint_risk",
    "hello 您好请问有什么可以帮您 thanks, agent_greeting",
    "THANK YOU FOR CALLING! HAVE A NICE DAY., agent_closing",
    // a fast line whose edges the model dropped: the greeting's parts or the farewell word alone
    "您好很高兴0, agent_greeting",
    "您很高兴为, agent_greeting",
    "感谢您再见, agent_closing",
    "good morning this is, agent_greeting",
  })
  void toleratesAsrErrors(String text, String intent) {
    assertThat(MATCHER.intents(text)).contains(intent);
  }

  @ParameterizedTest(name = "{0} ⇒ nothing")
  @CsvSource({
    "今天天气很好",
    "我想查一下物流",
    "the weather is nice today",
    "come down",
    "calm",
    "我要退款",
    "thank you",
    "my refund",
    "人",
    "''",
    "您号",
    "我很高兴",
    "再来一次",
    "good",
  })
  void unrelatedTextMatchesNoIntent(String text) {
    assertThat(MATCHER.intents(text)).isEmpty();
  }

  @Test
  void aThirdOfAChinesePhraseMayBeWrongButNoMore() {
    assertThat(MATCHER.intents("这布鬼我关")).doesNotContain("agent_banned"); // 3 of 5
    assertThat(MATCHER.intents("您好很高性为你服务吧")).contains("agent_greeting"); // 2 of 9
    assertThat(MATCHER.intents("您好很高性为你付务")).contains("agent_greeting"); // 3 of 9
    assertThat(MATCHER.intents("您很高兴为服")).contains("agent_greeting"); // 3 of 9 dropped (seen)
    assertThat(MATCHER.intents("您号很高性为你付务")).doesNotContain("agent_greeting"); // 4 of 9
  }

  @Test
  void reportsTheBestPhraseAndItsScore() {
    IntentMatcher.Match m =
        MATCHER.match("我的卡被扣了两次钱").stream()
            .filter(x -> x.intent().equals("customer_issue"))
            .findFirst()
            .orElseThrow();
    assertThat(m.phrase()).isEqualTo("我的卡被扣了两次钱");
    assertThat(m.cost()).isZero();
    assertThat(m.score()).isEqualTo(1.0);
  }

  @Test
  void stricterOptionsRejectWhatDefaultsAccept() {
    Lexicon l =
        new Lexicon(
            1, Map.of("x", new Lexicon.Intent("x", Role.AGENT, Map.of("zh", List.of("这不归我管")))));
    assertThat(new IntentMatcher(l, MatchingOptions.DEFAULTS).intents("这不规我管")).contains("x");
    assertThat(new IntentMatcher(l, new MatchingOptions(0.0, 99)).intents("这不规我管")).isEmpty();
    assertThat(new IntentMatcher(l, new MatchingOptions(0.0, 99)).intents("好的这不归我管")).contains("x");
  }

  @Test
  void alignmentCostIsSemiGlobal() {
    String[] phrase = {"a", "b", "c"};
    assertThat(IntentMatcher.bestAlignmentCost(phrase, new String[] {"x", "a", "b", "c", "y"}))
        .isZero();
    assertThat(IntentMatcher.bestAlignmentCost(phrase, new String[] {"a", "c"})).isEqualTo(1.0);
    assertThat(IntentMatcher.bestAlignmentCost(phrase, new String[] {"a", "x", "b", "c"}))
        .isEqualTo(1.0);
    assertThat(IntentMatcher.substitutionCost("frustration", "frustraton"))
        .isCloseTo(1.0 / 11, org.assertj.core.data.Offset.offset(1e-9));
  }
}
