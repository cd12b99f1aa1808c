package dev.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void mediansPerBrokerAndTheirRatio() {
        List<String> lines = List.of(
                "{\"broker\":\"herald\",\"scenario\":\"fanin\",\"delivered_per_s\":300.000,\"lost\":0.000}",
                "{\"broker\":\"mosquitto\",\"scenario\":\"fanin\",\"delivered_per_s\":100.000,\"lost\":0.000}",
                "{\"broker\":\"herald\",\"scenario\":\"fanin\",\"delivered_per_s\":900.000,\"lost\":0.000}",
                "{\"broker\":\"mosquitto\",\"scenario\":\"fanin\",\"delivered_per_s\":200.000,\"lost\":0.000}",
                "{\"broker\":\"herald\",\"scenario\":\"fanin\",\"delivered_per_s\":600.000,\"lost\":0.000}",
                "{\"broker\":\"mosquitto\",\"scenario\":\"fanin\",\"delivered_per_s\":150.000,\"lost\":0.000}",
                "{\"broker\":\"herald\",\"scenario\":\"fanin\",\"error\":\"generator failed\"}");

        String table = Report.table(lines, "herald", "mosquitto");

        assertThat(table).contains("| fanin | delivered_per_s | 600 | 150 | 4.00 | 3 |");
        assertThat(table).contains("| fanin | lost | 0.00 | 0.00 | - | 3 |");
    }

    @Test
    void sharedScenarioShowsItsEvennessButNotTheMemberCounts() {
        List<String> lines = List.of(
                "{\"broker\":\"herald\",\"scenario\":\"shared\",\"delivered_per_s\":400.000,\"lost\":0.000,"
                        + "\"member_received\":[100.000,100.000,100.000,100.000],\"evenness\":1.000}",
                "{\"broker\":\"mosquitto\",\"scenario\":\"shared\",\"delivered_per_s\":200.000,\"lost\":0.000,"
                        + "\"member_received\":[40.000,50.000,50.000,50.000],\"evenness\":0.800}");

        String table = Report.table(lines, "herald", "mosquitto");

        assertThat(table).contains("| shared | delivered_per_s | 400 | 200 | 2.00 | 1 |");
        assertThat(table).contains("| shared | evenness | 1.00 | 0.80 | 1.25 | 1 |");
        assertThat(table).doesNotContain("member_received");
        assertThat(table.indexOf("| shared | lost |")).isLessThan(table.indexOf("| shared | evenness |"));
    }

    @Test
    void extraFiguresNamedOnTheCommandLineFollowTheUsualOnes() {
        List<String> lines = List.of(
                "{\"broker\":\"cluster\",\"scenario\":\"fanin\",\"delivered_per_s\":100.000,\"broker_cpu_s\":20.000}",
                "{\"broker\":\"single\",\"scenario\":\"fanin\",\"delivered_per_s\":200.000,\"broker_cpu_s\":10.000}");

        assertThat(Report.table(lines, "cluster", "single")).doesNotContain("broker_cpu_s");
        assertThat(Report.table(lines, "cluster", "single", List.of("broker_cpu_s")))
                .contains("| fanin | delivered_per_s | 100 | 200 | 0.50 | 1 |")
                .contains("| fanin | broker_cpu_s | 20.00 | 10.00 | 2.00 | 1 |");
    }

    @Test
    void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(Report.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Report.median(List.of())).isNaN();
    }

    @Test
    void jsonLinesHoldNumbersWithAFixedDecimalPoint() {
        assertThat(LoadGenerator.json(Map.of("x", 1.5))).isEqualTo("{\"x\":1.500}");
        assertThat(LoadGenerator.json(Map.of("x", Double.NaN))).isEqualTo("{\"x\":null}");
        assertThat(LoadGenerator.json(Map.of("x", List.of(3L, 4L)))).isEqualTo("{\"x\":[3.000,4.000]}");
    }
}
