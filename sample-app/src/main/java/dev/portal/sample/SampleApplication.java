package dev.portal.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A host application that embeds Portal, with a demo catalog. */
@SpringBootApplication
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(SampleApplication.class);
        application.addListeners(new SampleDatabase());
        application.run(args);
    }
}
