package io.callqa.operators.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CmvnParserTest {

  private static final String SMALL =
      """
      <Nnet>
      <Splice> 3 3
      [ 0 ]
      <AddShift> 3 3
      <LearnRateCoef> 0 [ -1.5 2 0.25 ]
      <Rescale> 3 3
      <LearnRateCoef> 0 [ 2 0.5 4 ]
      </Nnet>
      """;

  @Test
  void readsShiftAndScale() {
    Cmvn cmvn = CmvnParser.parse(SMALL, "small.mvn");
    assertThat(cmvn.dim()).isEqualTo(3);
    assertThat(cmvn.shift()).containsExactly(-1.5f, 2f, 0.25f);
    assertThat(cmvn.scale()).containsExactly(2f, 0.5f, 4f);
  }

  @Test
  void appliesShiftThenScale() {
    Cmvn cmvn = CmvnParser.parse(SMALL, "small.mvn");
    float[] x = {1.5f, 0f, 1f, 0f, 0f, 0f};
    cmvn.applyInPlace(x, 2);
    assertThat(x).containsExactly(0f, 1f, 5f, -3f, 1f, 1f);
  }

  @Test
  void readsTheFixtureWith560Dimensions() {
    assertThat(Fixtures.cmvn().dim()).isEqualTo(560);
  }

  @Test
  void missingComponentIsNamed() {
    assertThatThrownBy(
            () -> CmvnParser.parse("<Nnet> <Rescale> 1 1 <LearnRateCoef> 0 [ 1 ]", "x.mvn"))
        .hasMessage("x.mvn: no <AddShift> component (not an am.mvn?)");
  }

  @Test
  void countMismatchIsReported() {
    String text = SMALL.replace("[ -1.5 2 0.25 ]", "[ -1.5 2 ]");
    assertThatThrownBy(() -> CmvnParser.parse(text, "x.mvn"))
        .hasMessage("x.mvn: <AddShift> declares 3 values but has 2");
  }

  @Test
  void tooManyValuesAreReported() {
    String text = SMALL.replace("[ 2 0.5 4 ]", "[ 2 0.5 4 8 ]");
    assertThatThrownBy(() -> CmvnParser.parse(text, "x.mvn"))
        .hasMessageContaining("more than the declared 3");
  }

  @Test
  void nonNumericValueIsReportedWithItsPosition() {
    String text = SMALL.replace("0.25", "abc");
    assertThatThrownBy(() -> CmvnParser.parse(text, "x.mvn"))
        .hasMessage("x.mvn: <AddShift> value 2 is not a number: 'abc'");
  }

  @Test
  void nonFiniteValueIsRejected() {
    String text = SMALL.replace("0.25", "NaN");
    assertThatThrownBy(() -> CmvnParser.parse(text, "x.mvn"))
        .hasMessage("x.mvn: <AddShift> value 2 is not a finite number: 'NaN'");
  }

  @Test
  void unclosedBracketIsReported() {
    String text = "<AddShift> 2 2 <LearnRateCoef> 0 [ 1 2 <Rescale> 2 2 <LearnRateCoef> 0 [ 1 1 ]";
    assertThatThrownBy(() -> CmvnParser.parse(text, "x.mvn"))
        .hasMessageContaining("x.mvn: <AddShift>");
  }

  @Test
  void differentLengthsAreReported() {
    String text =
        SMALL.replace("<Rescale> 3 3", "<Rescale> 2 2").replace("[ 2 0.5 4 ]", "[ 2 0.5 ]");
    assertThatThrownBy(() -> CmvnParser.parse(text, "x.mvn"))
        .hasMessage("x.mvn: <AddShift> has 3 values but <Rescale> has 2");
  }

  @Test
  void badDimIsReported() {
    String text = SMALL.replace("<AddShift> 3 3", "<AddShift> x 3");
    assertThatThrownBy(() -> CmvnParser.parse(text, "x.mvn"))
        .hasMessage("x.mvn: <AddShift> output dim is not a positive integer: 'x'");
  }

  @Test
  void frontEndRefusesACmvnOfTheWrongSize() {
    assertThatThrownBy(() -> new FrontEnd(CmvnParser.parse(SMALL, "small.mvn")))
        .hasMessageContaining("3 dimensions");
  }
}
