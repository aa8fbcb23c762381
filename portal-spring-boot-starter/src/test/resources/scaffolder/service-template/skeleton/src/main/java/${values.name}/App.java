package ${values.name.replace('-', '')};

public class App {
    public static void main(String[] args) {
        System.out.println("${values.name} is up");
    }
}
