using OtpFunctions.Tests.Support.CyclePong;

namespace OtpFunctions.Tests.Support.CyclePing;

/// <summary>The control for the folder-cycle check: this folder and <see cref="Pong"/>'s use each other, only inside a method body.</summary>
public static class Ping
{
    public static int Hits(int times) => times <= 0 ? 0 : 1 + Pong.Returns(times - 1);
}
