package ${values.packagePath.replace('/', '.')};

public class App {
    public static void main(String[] args) {
        System.out.println("${values.name}");
    }
}
