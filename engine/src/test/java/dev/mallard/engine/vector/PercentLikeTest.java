package dev.mallard.engine.vector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link PercentLike} against a regular expression of the same pattern, on many short strings. */
class PercentLikeTest {
  @Test
  void patternsWithUnderscoreOrBackslashAreNotHandled() {
    assertThat(PercentLike.of("a_b")).isNull();
    assertThat(PercentLike.of("a\\%")).isNull();
  }

  @Test
  void examples() {
    assertThat(PercentLike.of("%green%").test("forest green lace")).isTrue();
    assertThat(PercentLike.of("%green%").test("forest gree")).isFalse();
    assertThat(PercentLike.of("PROMO%").test("PROMO BRUSHED")).isTrue();
    assertThat(PercentLike.of("PROMO%").test("xPROMO")).isFalse();
    assertThat(PercentLike.of("%special%requests%").test("a special x requests")).isTrue();
    assertThat(PercentLike.of("%special%requests%").test("requests special")).isFalse();
    assertThat(PercentLike.of("ab%ba").test("aba")).isFalse(); // prefix and suffix may not overlap
    assertThat(PercentLike.of("ab%ba").test("abba")).isTrue();
    assertThat(PercentLike.of("").test("")).isTrue();
    assertThat(PercentLike.of("").test("a")).isFalse();
    assertThat(PercentLike.of("%").test("")).isTrue();
    assertThat(PercentLike.of("%%").test("x\ny")).isTrue();
    assertThat(PercentLike.of("x%y").test("x\ny")).isTrue(); // % takes line breaks too, as in DuckDB
    assertThat(PercentLike.of("abc").test("abc")).isTrue();
    assertThat(PercentLike.of("abc").test("abcd")).isFalse();
  }

  @Test
  void agreesWithARegularExpression() {
    Random random = new Random(7);
    for (int p = 0; p < 2000; p++) {
      String pattern = randomText(random, "ab%", 6);
      Pattern regex = Pattern.compile(
          String.join(".*", List.of(pattern.split("%", -1)).stream().map(Pattern::quote).toList()), Pattern.DOTALL);
      PercentLike like = PercentLike.of(pattern);
      for (int s = 0; s < 50; s++) {
        String text = randomText(random, "ab", 8);
        assertThat(like.test(text)).as("'%s' LIKE '%s'", text, pattern).isEqualTo(regex.matcher(text).matches());
      }
    }
  }

  private static String randomText(Random random, String alphabet, int maxLength) {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(maxLength + 1);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }
}
