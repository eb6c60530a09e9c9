package dev.sextant.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package structure the code must keep; checked on the compiled classes of every module on the
 * application's class path (the router jar's Maven dependencies are checked by its enforcer rule as well).
 */
class ArchitectureTest {

    private static JavaClasses sextant;

    @BeforeAll
    static void importClasses() {
        sextant = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sextant");
    }

    @Test
    void theGatewayLibraryHasNoEvaluationBenchmarksOrCli() {
        noClasses().that().resideInAPackage("dev.sextant.router..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sextant.eval..", "dev.sextant.bench..",
                        "dev.sextant.app..", "dev.langchain4j..", "picocli..")
                .check(sextant);
    }

    @Test
    void onlyTheApplicationWiresTheModules() {
        noClasses().that().resideOutsideOfPackage("dev.sextant.app..")
                .should().dependOnClassesThat().resideInAPackage("dev.sextant.app..")
                .check(sextant);
    }

    @Test
    void servingModulesDoNotDependOnEvaluationOrBenchmarks() {
        noClasses().that().resideInAnyPackage("dev.sextant.embeddings..", "dev.sextant.inference..",
                        "dev.sextant.rag..", "dev.sextant.ingestion..", "dev.sextant.router..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.sextant.eval..", "dev.sextant.bench..")
                .check(sextant);
    }

    @Test
    void apiPackagesImportNoImplementation() {
        // An api package is what callers program against: it may use other api packages and the JDK, nothing that
        // would drag an implementation (engine, sampler, runner, ...) into every caller.
        classes().that().resideInAPackage("dev.sextant..api..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("dev.sextant..api..", "java..")
                .check(sextant);
    }

    @Test
    void modulesFormNoCycle() {
        slices().matching("dev.sextant.(*)..").should().beFreeOfCycles().check(sextant);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("dev.sextant.(**)").should().beFreeOfCycles().check(sextant);
    }
}
