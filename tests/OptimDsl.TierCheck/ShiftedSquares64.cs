// Copied from tests/OptimDsl.Benchmarks/ShiftedSquares64.cs (written by a script there): Σ (p_i − c_i)² over 64 parameters, c_i = 0.5 + i/4.
using OptimDsl;

namespace OptimDsl.TierCheck;

public static partial class Objectives
{
    /// <summary>Σ (p_i − c_i)² over 64 parameters, c_i = 0.5 + i/4.</summary>
    [Objective, GradientDescent(LearningRate = 0.01), Adam(LearningRate = 0.01)]
    public static double ShiftedSquares64(
        double p0, double p1, double p2, double p3, double p4, double p5, double p6, double p7,
        double p8, double p9, double p10, double p11, double p12, double p13, double p14, double p15,
        double p16, double p17, double p18, double p19, double p20, double p21, double p22, double p23,
        double p24, double p25, double p26, double p27, double p28, double p29, double p30, double p31,
        double p32, double p33, double p34, double p35, double p36, double p37, double p38, double p39,
        double p40, double p41, double p42, double p43, double p44, double p45, double p46, double p47,
        double p48, double p49, double p50, double p51, double p52, double p53, double p54, double p55,
        double p56, double p57, double p58, double p59, double p60, double p61, double p62, double p63)
    {
        var a0 = p0 - 0.5;
        var a1 = p1 - 0.75;
        var a2 = p2 - 1.0;
        var a3 = p3 - 1.25;
        var a4 = p4 - 1.5;
        var a5 = p5 - 1.75;
        var a6 = p6 - 2.0;
        var a7 = p7 - 2.25;
        var a8 = p8 - 2.5;
        var a9 = p9 - 2.75;
        var a10 = p10 - 3.0;
        var a11 = p11 - 3.25;
        var a12 = p12 - 3.5;
        var a13 = p13 - 3.75;
        var a14 = p14 - 4.0;
        var a15 = p15 - 4.25;
        var a16 = p16 - 4.5;
        var a17 = p17 - 4.75;
        var a18 = p18 - 5.0;
        var a19 = p19 - 5.25;
        var a20 = p20 - 5.5;
        var a21 = p21 - 5.75;
        var a22 = p22 - 6.0;
        var a23 = p23 - 6.25;
        var a24 = p24 - 6.5;
        var a25 = p25 - 6.75;
        var a26 = p26 - 7.0;
        var a27 = p27 - 7.25;
        var a28 = p28 - 7.5;
        var a29 = p29 - 7.75;
        var a30 = p30 - 8.0;
        var a31 = p31 - 8.25;
        var a32 = p32 - 8.5;
        var a33 = p33 - 8.75;
        var a34 = p34 - 9.0;
        var a35 = p35 - 9.25;
        var a36 = p36 - 9.5;
        var a37 = p37 - 9.75;
        var a38 = p38 - 10.0;
        var a39 = p39 - 10.25;
        var a40 = p40 - 10.5;
        var a41 = p41 - 10.75;
        var a42 = p42 - 11.0;
        var a43 = p43 - 11.25;
        var a44 = p44 - 11.5;
        var a45 = p45 - 11.75;
        var a46 = p46 - 12.0;
        var a47 = p47 - 12.25;
        var a48 = p48 - 12.5;
        var a49 = p49 - 12.75;
        var a50 = p50 - 13.0;
        var a51 = p51 - 13.25;
        var a52 = p52 - 13.5;
        var a53 = p53 - 13.75;
        var a54 = p54 - 14.0;
        var a55 = p55 - 14.25;
        var a56 = p56 - 14.5;
        var a57 = p57 - 14.75;
        var a58 = p58 - 15.0;
        var a59 = p59 - 15.25;
        var a60 = p60 - 15.5;
        var a61 = p61 - 15.75;
        var a62 = p62 - 16.0;
        var a63 = p63 - 16.25;
        return a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3 + a4 * a4 + a5 * a5 + a6 * a6 + a7 * a7
            + a8 * a8 + a9 * a9 + a10 * a10 + a11 * a11 + a12 * a12 + a13 * a13 + a14 * a14 + a15 * a15
            + a16 * a16 + a17 * a17 + a18 * a18 + a19 * a19 + a20 * a20 + a21 * a21 + a22 * a22 + a23 * a23
            + a24 * a24 + a25 * a25 + a26 * a26 + a27 * a27 + a28 * a28 + a29 * a29 + a30 * a30 + a31 * a31
            + a32 * a32 + a33 * a33 + a34 * a34 + a35 * a35 + a36 * a36 + a37 * a37 + a38 * a38 + a39 * a39
            + a40 * a40 + a41 * a41 + a42 * a42 + a43 * a43 + a44 * a44 + a45 * a45 + a46 * a46 + a47 * a47
            + a48 * a48 + a49 * a49 + a50 * a50 + a51 * a51 + a52 * a52 + a53 * a53 + a54 * a54 + a55 * a55
            + a56 * a56 + a57 * a57 + a58 * a58 + a59 * a59 + a60 * a60 + a61 * a61 + a62 * a62 + a63 * a63;
    }
}
