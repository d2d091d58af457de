namespace Converge.Simulation.Tests;

/// <summary>Thrown at a fault point: the process "dies" there; whatever it had not committed is gone.</summary>
internal sealed class SimCrash : Exception
{
    public SimCrash()
        : base("simulated crash")
    {
    }

    public SimCrash(string message)
        : base(message)
    {
    }

    public SimCrash(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
