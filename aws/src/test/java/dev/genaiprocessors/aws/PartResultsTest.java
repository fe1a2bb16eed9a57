package dev.genaiprocessors.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PartResultsTest {
  /** What {@link PartResults#num} promises: the double the float prints as. */
  private static double printed(float f) {
    return Double.parseDouble(Float.toString(f));
  }

  @Test
  void num_isTheDecimalTheFloatPrintsAs_forCommonScores() {
    assertThat(PartResults.num(0.97f)).isEqualTo(0.97);
    assertThat(PartResults.num(0.5f)).isEqualTo(0.5);
    assertThat(PartResults.num(1.0f)).isEqualTo(1.0);
    assertThat(PartResults.num(0.99871236f)).isEqualTo(0.99871236);
    assertThat(PartResults.num(2.3e-5f)).isEqualTo(2.3e-5);
    assertThat(PartResults.num(null)).isEqualTo(0.0);
  }

  @Test
  void num_agreesWithTheFloatsText_acrossAndOutsideTheFastRange() {
    int from = Float.floatToIntBits(1e-6f);
    int to = Float.floatToIntBits(1.0f);
    int checked = 0;
    // A spread of every binade in the fast range, its edges, and values either side of it.
    for (int bits = from - 5_000; bits <= to + 5_000; bits += 997) {
      float f = Float.intBitsToFloat(bits);
      assertThat(PartResults.num(f)).as("num(%s)", f).isEqualTo(printed(f));
      checked++;
    }
    for (float f :
        new float[] {
          0.0f,
          -0.0f,
          1e-6f,
          Math.nextDown(1e-6f),
          Math.nextUp(1.0f),
          2.4414062E-4f,
          1e-7f,
          12.5f,
          1e20f,
          -0.25f,
          Float.MIN_VALUE,
          Float.MAX_VALUE
        }) {
      assertThat(PartResults.num(f)).as("num(%s)", f).isEqualTo(printed(f));
    }
    assertThat(checked).isGreaterThan(100_000);
  }
}
